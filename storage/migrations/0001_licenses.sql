-- Licenses as billing knows them, with the result of their last sync.
-- Times are BIGINT microseconds since the Unix epoch on both backends.
-- Lists (features, additional_keys, mismatches) are TEXT in the format of
-- storage/sql/value_codec.h.
CREATE TABLE licenses (
  license_id {{ID}},
  -- "PREFIX.NNNNNNNN": the key without its revision, which an upgrade or a
  -- regeneration bumps. One license per key; found by any revision.
  key_base VARCHAR(64) NOT NULL,
  key_number VARCHAR(64) NOT NULL,
  license_class VARCHAR(128) NOT NULL,
  capacity BIGINT NOT NULL,
  features {{TEXT}} NOT NULL,
  additional_keys {{TEXT}} NOT NULL,
  state INTEGER NOT NULL,
  renewal_due_at BIGINT NOT NULL,
  expire_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  sync_status INTEGER NOT NULL,
  mismatches {{TEXT}} NOT NULL,
  sync_message {{TEXT}} NOT NULL,
  last_synced_at BIGINT NULL,
  last_sync_error {{TEXT}} NOT NULL,
  -- The etag: bumped by every change of configuration, state or sync result.
  version BIGINT NOT NULL,
  -- 1 while an upgrade order is being placed at KA: no sync, no renewal.
  order_placing INTEGER NOT NULL,
  -- CreateLicense's request_id (AIP-155); NULL for imports. Unique, so that
  -- a retried request finds the license it created.
  create_request_id VARCHAR(255) NULL,
  CONSTRAINT licenses_key_base UNIQUE (key_base),
  CONSTRAINT licenses_create_request_id UNIQUE (create_request_id)
){{ENGINE}};

-- The filters of ListLicenses, each ending in license_id for keyset paging:
-- an equality filter then reads the index in page order and stops at LIMIT.
CREATE INDEX licenses_sync_status ON licenses (sync_status, license_id);
CREATE INDEX licenses_state ON licenses (state, license_id);
CREATE INDEX licenses_class ON licenses (license_class, license_id);
-- key_number LIKE 'prefix%' is a range scan of this index.
CREATE INDEX licenses_key_number ON licenses (key_number);
-- usable_until before a time; also the daily run's "past expiry".
CREATE INDEX licenses_expire_at ON licenses (expire_at);
