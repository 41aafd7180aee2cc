-- Bulk SyncAll jobs (SyncJobRecord::bulk): the job first reads KA's whole
-- account through ListKeys pages, one call per page instead of one
-- GetKeyInfo per license, then sweeps its license-id ranges for the
-- licenses no page covered (storage/sync_job_repository.h).
--
-- sync_job_chunks.state gains 0 WAITING, beside 1 pending, 2 claimed,
-- 3 done (0003): a bulk job's range chunks are created WAITING, which no
-- claim reads, and become pending in the transaction that completes the
-- job's last page, so that a range is swept only once every page has
-- marked the licenses it covered.

-- 1 for a bulk job. Existing jobs were not.
ALTER TABLE sync_jobs ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0;

-- NULL for a range chunk (0003's only kind). Set for a page of a bulk job's
-- ListKeys: KA's token of that page ('' for the first). Pages are indexed
-- after the job's ranges (page k is chunk chunk_count + k), so they share
-- the claim index and its order with them; their license-id columns are 0,
-- and they count in neither chunk_count nor chunks_done. KA's tokens are
-- short: longer ones are refused, never truncated.
ALTER TABLE sync_job_chunks ADD COLUMN page_token VARCHAR(255) NULL;

-- The SyncAll job that last wrote the license's sync result (a chunk's or a
-- page's commit, whether or not the result changed); '' for licenses never
-- synced by a job. A SyncLicense leaves it, so that a bulk job running
-- meanwhile never counts the license twice. A bulk
-- job's pages skip the licenses an earlier page of the same job covered,
-- and its range sweep reads only the licenses no page covered. No index:
-- it is only ever tested on rows found by license_id or key_base.
ALTER TABLE licenses ADD COLUMN sync_job_id VARCHAR(64) NOT NULL DEFAULT '';
