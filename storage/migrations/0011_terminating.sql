-- A TerminateLicense marks the license before it calls KA (issue 15), as an
-- order placement flags it (order_placing): while the mark holds, no upgrade
-- starts and no renewal is recorded, and the version bump that comes with
-- it makes an upgrade session opened before unplaceable. A time, not a
-- flag: a claim that a crash between the mark and KA's answer leaves
-- behind runs out on its own. NULL: no termination under way.
ALTER TABLE licenses ADD COLUMN terminating_until BIGINT NULL;
