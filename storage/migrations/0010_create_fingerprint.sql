-- CreateLicense's request_id is scoped to its caller and bound to its
-- parameters (issue 15): create_request_id holds the caller-scoped key the
-- domain derives, and this column a fingerprint of the request (class,
-- capacity, features), so that the key reused for another request is
-- refused rather than answered with the first license. '' for licenses
-- created before: their retries are answered as before.
ALTER TABLE licenses ADD COLUMN create_fingerprint VARCHAR(64) NOT NULL DEFAULT '';
