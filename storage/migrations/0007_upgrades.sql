-- Upgrade sessions and their orders (storage/upgrade_repository.h): the
-- wizard's state, so that any replica serves any step and a restart loses
-- nothing. Times are BIGINT microseconds, as in 0001; lists are TEXT in the
-- format of storage/sql/value_codec.h.
-- state: UpgradeState (1 STARTED, 2 CONFIGURED, 3 PRICED, 4 PLACING,
-- 5 COMPLETED, 6 CANCELLED, 7 EXPIRED, 8 FAILED).
--
-- Every write is "... WHERE upgrade_id = ? AND row_version = ?" and bumps
-- row_version; its affected-row count decides which of two concurrent
-- steps applies, whatever the engine's isolation.
CREATE TABLE upgrades (
  -- Increasing with creation: ListUpgrades' cursor, newest first.
  seq {{ID}},
  upgrade_id VARCHAR(64) NOT NULL,
  license_id BIGINT NOT NULL,
  state INTEGER NOT NULL,
  -- Billing's configuration when the session started.
  billing_key_number VARCHAR(64) NOT NULL,
  billing_license_class VARCHAR(128) NOT NULL,
  billing_capacity BIGINT NOT NULL,
  billing_features {{TEXT}} NOT NULL,
  billing_additional_keys {{TEXT}} NOT NULL,
  billing_renewal_due_at BIGINT NOT NULL,
  billing_expire_at BIGINT NOT NULL,
  -- KA's configuration then: the wizard starts from it.
  ka_key_number VARCHAR(64) NOT NULL,
  ka_license_class VARCHAR(128) NOT NULL,
  ka_capacity BIGINT NOT NULL,
  ka_features {{TEXT}} NOT NULL,
  ka_additional_keys {{TEXT}} NOT NULL,
  ka_renewal_due_at BIGINT NOT NULL,
  ka_expire_at BIGINT NOT NULL,
  -- Billing against KA at the start (SyncStatus).
  sync_status INTEGER NOT NULL,
  -- What the upgrade may change: the capacity steps (one per record), and
  -- the features offered (API name, display name).
  capacity_unit VARCHAR(32) NOT NULL,
  capacity_steps {{TEXT}} NOT NULL,
  max_capacity BIGINT NOT NULL,
  offered_features {{TEXT}} NOT NULL,
  -- The target, the price and the order are optional: each has a presence
  -- flag (1: set) and NOT NULL columns holding zero values while unset, so
  -- that reading a row needs no NULL indicators but one.
  has_target INTEGER NOT NULL,
  target_capacity BIGINT NOT NULL,
  target_add_features {{TEXT}} NOT NULL,
  has_price INTEGER NOT NULL,
  price_currency VARCHAR(16) NOT NULL,
  -- PriceLines: kind, item, description, term amount, amount.
  price_lines {{TEXT}} NOT NULL,
  price_total BIGINT NOT NULL,
  prorate_ppm BIGINT NOT NULL,
  priced_at BIGINT NOT NULL,
  has_order INTEGER NOT NULL,
  order_request_id VARCHAR(255) NOT NULL,
  order_old_key_number VARCHAR(64) NOT NULL,
  order_new_key_number VARCHAR(64) NOT NULL,
  order_ka_called INTEGER NOT NULL,
  order_mismatches {{TEXT}} NOT NULL,
  order_placed_at BIGINT NOT NULL,
  -- NULL until the order completed.
  order_completed_at BIGINT NULL,
  order_error {{TEXT}} NOT NULL,
  -- The license's version (etag) when the session started.
  license_version BIGINT NOT NULL,
  created_by VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  -- An unfinished session expires then.
  expire_at BIGINT NOT NULL,
  -- The replica placing the order and until when its claim holds; another
  -- replica takes over a PLACING session whose claim expired.
  placing_owner VARCHAR(255) NOT NULL,
  placing_until BIGINT NOT NULL,
  row_version BIGINT NOT NULL,
  CONSTRAINT upgrades_upgrade_id UNIQUE (upgrade_id),
  CONSTRAINT upgrades_license FOREIGN KEY (license_id) REFERENCES licenses (license_id)
){{ENGINE}};

-- ExpireDue (unfinished states whose expire_at has come) and, by its state
-- prefix, ListAbandonedPlacements (the few PLACING sessions).
CREATE INDEX upgrades_state_expire ON upgrades (state, expire_at);
-- ListUpgrades newest first by seq, per license or per state; the first
-- also serves the foreign key.
CREATE INDEX upgrades_license_seq ON upgrades (license_id, seq);
CREATE INDEX upgrades_state_seq ON upgrades (state, seq);
