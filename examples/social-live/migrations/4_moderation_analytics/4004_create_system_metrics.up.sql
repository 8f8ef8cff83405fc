-- 4004_create_system_metrics: table system_metrics (003 "Analytics & Reporting / System Metrics
-- Table"), as written (the column named timestamp is kept).
CREATE TABLE system_metrics (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    metric_name VARCHAR(100) NOT NULL,
    metric_value DECIMAL(15,4) NOT NULL,
    tags JSONB,
    timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

COMMENT ON TABLE system_metrics IS 'Time series of named system metrics';
