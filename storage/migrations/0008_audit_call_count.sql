-- Refused calls are audited in aggregate (server/audit/refusal_tally.h): an
-- event may stand for many refusals of one caller, method and reason, and
-- says how many. Every event written before stands for one call.
ALTER TABLE audit_events ADD COLUMN call_count BIGINT NOT NULL DEFAULT 1;
