-- SyncAll jobs, shared by every replica (storage/sync_job_repository.h).
-- Times are BIGINT microseconds since the Unix epoch, as in 0001.

-- One row per job. The scope (a LicenseFilter) is kept as columns, NULL or
-- '' where the filter field is unset, so that a chunk's licenses are found
-- again with the same SQL that listed them (license_filter_sql.h).
-- state: 1 RUNNING, 2 SUCCEEDED, 3 CANCELLED, 4 FAILED (SyncJobState).
CREATE TABLE sync_jobs (
  job_id VARCHAR(64) NOT NULL PRIMARY KEY,
  state INTEGER NOT NULL,
  scope_sync_status INTEGER NULL,
  scope_state INTEGER NULL,
  scope_license_class VARCHAR(128) NOT NULL,
  scope_key_number_prefix VARCHAR(64) NOT NULL,
  scope_usable_until_before BIGINT NULL,
  -- The caller's canonical text of the scope: equal scopes, equal keys.
  scope_key {{TEXT}} NOT NULL,
  created_by VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  ended_at BIGINT NULL,
  -- Progress, grown by each chunk in the transaction that completes it.
  total BIGINT NOT NULL,
  processed BIGINT NOT NULL,
  in_sync BIGINT NOT NULL,
  not_in_sync BIGINT NOT NULL,
  errors BIGINT NOT NULL,
  skipped BIGINT NOT NULL,
  chunk_count BIGINT NOT NULL,
  chunks_done BIGINT NOT NULL,
  cancel_requested INTEGER NOT NULL,
  error {{TEXT}} NOT NULL
){{ENGINE}};

-- ListSyncJobs: newest first, keyset-paged on (created_at, job_id), with or
-- without a state filter.
CREATE INDEX sync_jobs_created ON sync_jobs (created_at, job_id);
CREATE INDEX sync_jobs_state_created ON sync_jobs (state, created_at, job_id);
-- Retention: the jobs that ended before a cutoff (running ones are NULL).
CREATE INDEX sync_jobs_ended ON sync_jobs (ended_at);

-- A job's licenses cut into contiguous license-id ranges in id order, each
-- claimed under a lease by one replica and completed in one transaction.
-- state: 1 pending, 2 claimed, 3 done. A pending chunk has no owner; a
-- claimed one is taken over once lease_expires_at has passed (0: released).
-- attempts counts claims and identifies the current one: a claim, a renewal
-- and a completion each check it, so a replica whose lease was taken (even
-- by itself, later) cannot act on the chunk again.
CREATE TABLE sync_job_chunks (
  job_id VARCHAR(64) NOT NULL,
  chunk_index BIGINT NOT NULL,
  first_license_id BIGINT NOT NULL,
  last_license_id BIGINT NOT NULL,
  license_count BIGINT NOT NULL,
  state INTEGER NOT NULL,
  owner VARCHAR(255) NOT NULL,
  lease_expires_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  PRIMARY KEY (job_id, chunk_index),
  CONSTRAINT sync_job_chunks_job FOREIGN KEY (job_id) REFERENCES sync_jobs (job_id)
){{ENGINE}};

-- ClaimChunk reads a job's lowest pending chunks, and its claimed ones (for
-- expired leases), each as one range of this index in chunk order: done
-- chunks, the bulk of a job as it progresses, are never read.
CREATE INDEX sync_job_chunks_claim ON sync_job_chunks (job_id, state, chunk_index);

-- At most one running job per deployment, enforced by the primary key: a
-- job takes slot 1 in the transaction that creates it and frees it in the
-- one that ends it, so two replicas starting a SyncAll at once cannot both
-- succeed whatever the engine's isolation. No foreign key: the slot is
-- taken before the job row exists, so that a loser does no work.
CREATE TABLE sync_job_running_slot (
  slot INTEGER NOT NULL PRIMARY KEY,
  job_id VARCHAR(64) NOT NULL
){{ENGINE}};
