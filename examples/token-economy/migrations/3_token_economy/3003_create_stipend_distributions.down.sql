-- 3003_create_stipend_distributions (down): drops table stipend_distributions.
DROP TABLE stipend_distributions;
