-- The daily run (storage/daily_run_repository.h): one row per UTC day, so
-- that replicas never run a day twice: the primary key decides who creates
-- it, and a conditional update on the lease decides who takes over a run
-- whose replica died. Times are BIGINT microseconds, as in 0001.
-- state: 1 RUNNING, 2 SUCCEEDED, 3 FAILED (DailyRunState).
CREATE TABLE daily_runs (
  run_date VARCHAR(10) NOT NULL PRIMARY KEY,
  run_id VARCHAR(64) NOT NULL,
  state INTEGER NOT NULL,
  owner VARCHAR(255) NOT NULL,
  lease_expires_at BIGINT NOT NULL,
  -- Counts claims and identifies the current one, as in sync_job_chunks.
  attempts INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NULL,
  CONSTRAINT daily_runs_run_id UNIQUE (run_id)
){{ENGINE}};

-- A run's phases as they were last saved; a replica taking a run over
-- resumes at the first phase not ended. kind: DailyRunPhaseKind.
CREATE TABLE daily_run_phases (
  run_date VARCHAR(10) NOT NULL,
  kind INTEGER NOT NULL,
  state INTEGER NOT NULL,
  processed BIGINT NOT NULL,
  succeeded BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  job_id VARCHAR(64) NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NULL,
  -- Why the phase failed as a whole; single licenses' failures are rows of
  -- daily_run_failures.
  error {{TEXT}} NOT NULL,
  PRIMARY KEY (run_date, kind),
  CONSTRAINT daily_run_phases_run FOREIGN KEY (run_date) REFERENCES daily_runs (run_date)
){{ENGINE}};

-- The first failed licenses of each phase, in the order they failed.
CREATE TABLE daily_run_failures (
  run_date VARCHAR(10) NOT NULL,
  kind INTEGER NOT NULL,
  position INTEGER NOT NULL,
  license_id BIGINT NOT NULL,
  key_number VARCHAR(64) NOT NULL,
  error {{TEXT}} NOT NULL,
  PRIMARY KEY (run_date, kind, position),
  CONSTRAINT daily_run_failures_phase FOREIGN KEY (run_date, kind)
    REFERENCES daily_run_phases (run_date, kind)
){{ENGINE}};

-- The renewal phase reads the ACTIVE, In Sync licenses whose renewal is due.
CREATE INDEX licenses_renewal_due ON licenses (state, sync_status, renewal_due_at);
-- Retention prunes the history older than a cutoff.
CREATE INDEX sync_history_synced_at ON sync_history (synced_at);
