-- The audit log: one row per call that synced or upgraded something, or was
-- refused (DESIGN.md §4 "Security"), read by ListAuditEvents newest first
-- and pruned by the daily run after a configurable age.
-- Times are BIGINT microseconds since the Unix epoch, as in 0001.
CREATE TABLE audit_events (
  event_id {{ID}},
  occurred_at BIGINT NOT NULL,
  -- The caller's token name and role ("viewer", "operator", "admin"); both
  -- empty when the server runs without authentication (loopback only).
  actor VARCHAR(255) NOT NULL,
  actor_role VARCHAR(32) NOT NULL,
  -- The RPC, e.g. "SyncLicense".
  method VARCHAR(128) NOT NULL,
  -- NULL when the call named no license. No foreign key: a refused call
  -- may name a license that does not exist, and the log must keep it.
  license_id BIGINT NULL,
  -- A job id, upgrade id or key number; '' when there is none.
  target VARCHAR(255) NOT NULL,
  -- The gRPC code name of the answer, e.g. "OK", "NOT_FOUND".
  outcome VARCHAR(64) NOT NULL,
  detail {{TEXT}} NOT NULL,
  request_id VARCHAR(255) NOT NULL
){{ENGINE}};

-- Pruning walks this index oldest first in bounded batches, and a time
-- range filter reads it; event_id is spelled out so that both engines
-- order ties the same way (the batch boundary is an (occurred_at,
-- event_id) pair).
CREATE INDEX audit_events_occurred ON audit_events (occurred_at, event_id);
-- One license's events, newest first by event_id.
CREATE INDEX audit_events_license ON audit_events (license_id, event_id);
