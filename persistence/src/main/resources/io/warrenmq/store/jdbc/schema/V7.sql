-- WarrenMQ store schema, version 7: the lease of shared-store high availability (applied to a
-- version 6 database in place by io.warrenmq.store.jdbc.internal.Schema, in one transaction).
--
-- warren_ha_lease: at most one row (id = 1), written only by brokers with
-- warrenmq.ha.mode = shared-store (io.warrenmq.store.jdbc.internal.HaLease). epoch grows by one
-- at each takeover; owner is the live node's name ('' once it released the lease at a clean stop);
-- renew_count grows at each renewal of the live node and is what backups watch; renewed_at is the
-- database's time of the last renewal, for people only (no broker compares clocks). Every group
-- commit of the live node reads the row FOR SHARE and refuses to commit when epoch is not its own
-- (fencing). A version 6 database holds no row: the first HA broker inserts it.

CREATE TABLE warren_ha_lease (
  id INT NOT NULL PRIMARY KEY CHECK (id = 1),
  epoch BIGINT NOT NULL,
  owner VARCHAR(255) NOT NULL,
  renew_count BIGINT NOT NULL,
  renewed_at TIMESTAMP
);
