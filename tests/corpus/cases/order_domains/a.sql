-- Types built on types, where name order is the wrong order: a domain over a domain, over
-- a composite type, over a range, a composite type holding a domain, a range over a domain.
CREATE DOMAIN z_base AS int CHECK (VALUE >= 0);
CREATE DOMAIN m_middle AS z_base CHECK (VALUE < 1000);
CREATE DOMAIN a_top AS m_middle DEFAULT 1;
CREATE TYPE z_pair AS (lo a_top, hi a_top);
CREATE DOMAIN a_ordered_pair AS z_pair CHECK ((VALUE).lo <= (VALUE).hi);
CREATE TYPE y_span AS RANGE (subtype = int4);
CREATE DOMAIN b_short_span AS y_span CHECK (upper(VALUE) - lower(VALUE) < 10);
CREATE TABLE a_usage (p a_ordered_pair, s b_short_span, t a_top);
