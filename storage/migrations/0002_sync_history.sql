-- One row per sync attempt of a license, read newest first and paged by
-- entry_id (ListSyncHistory). sync_status is NULL for an attempt that
-- failed (error says why); mismatches is TEXT as in licenses.
CREATE TABLE sync_history (
  entry_id {{ID}},
  license_id BIGINT NOT NULL,
  key_number VARCHAR(64) NOT NULL,
  ka_key_number VARCHAR(64) NOT NULL,
  synced_at BIGINT NOT NULL,
  sync_status INTEGER NULL,
  mismatches {{TEXT}} NOT NULL,
  message {{TEXT}} NOT NULL,
  error {{TEXT}} NOT NULL,
  job_id VARCHAR(64) NOT NULL,
  CONSTRAINT sync_history_license FOREIGN KEY (license_id) REFERENCES licenses (license_id)
){{ENGINE}};

CREATE INDEX sync_history_license_entry ON sync_history (license_id, entry_id);
