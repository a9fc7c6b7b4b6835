-- WarrenMQ store schema, version 3: messages keyed by queue ids, a message held by one queue in one
-- row, and the clean-shutdown marker (applied to a version 2 database in place by
-- io.warrenmq.store.jdbc.internal.Schema, in one transaction).
--
-- warren_message: a message held by one queue carries its queue_id, seq and delivered flag (one row
-- to insert when published, one to delete when acked); a message stored for several queues (one
-- publish routed to several durable queues) has queue_id NULL and one warren_queue_entry row per
-- queue, and goes with its last entry.

ALTER TABLE warren_message ADD COLUMN queue_id BIGINT;

ALTER TABLE warren_message ADD COLUMN seq BIGINT;

ALTER TABLE warren_message ADD COLUMN delivered BOOLEAN DEFAULT FALSE NOT NULL;

-- for this upgrade only (dropped with the version 2 entry table)
CREATE INDEX warren_queue_entry_v2_message ON warren_queue_entry (message_id);

-- a message with one entry moves into its message row (entries of deleted queues are left out:
-- their messages are removed when the store opens)
UPDATE warren_message SET
  queue_id = (SELECT q.id FROM warren_queue_entry e JOIN warren_queue q
              ON q.vhost = e.vhost AND q.name = e.queue WHERE e.message_id = warren_message.id),
  seq = (SELECT e.seq FROM warren_queue_entry e WHERE e.message_id = warren_message.id),
  delivered = (SELECT e.delivered FROM warren_queue_entry e WHERE e.message_id = warren_message.id)
WHERE (SELECT COUNT(*) FROM warren_queue_entry e WHERE e.message_id = warren_message.id) = 1;

CREATE TABLE warren_queue_entry_v3 (
  queue_id BIGINT NOT NULL,
  message_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  delivered BOOLEAN NOT NULL,
  CONSTRAINT warren_queue_entry_key PRIMARY KEY (queue_id, message_id)
);

INSERT INTO warren_queue_entry_v3 (queue_id, message_id, seq, delivered)
SELECT q.id, e.message_id, e.seq, e.delivered FROM warren_queue_entry e
JOIN warren_queue q ON q.vhost = e.vhost AND q.name = e.queue
JOIN warren_message m ON m.id = e.message_id
WHERE m.queue_id IS NULL;

DROP TABLE warren_queue_entry;

ALTER TABLE warren_queue_entry_v3 RENAME TO warren_queue_entry;

-- pages of a queue are ranges of these indexes, in seq order
CREATE INDEX warren_message_order ON warren_message (queue_id, seq);

CREATE INDEX warren_queue_entry_order ON warren_queue_entry (queue_id, seq);

-- a shared message goes with its last entry: NOT EXISTS on this index
CREATE INDEX warren_queue_entry_message ON warren_queue_entry (message_id);

-- clean_shutdown: whether the last run closed cleanly; redelivered_through: entries of messages with
-- ids up to it are delivered as redelivered (they were stored when a run that did not close cleanly
-- ended). A version 2 database counts as not closed cleanly.
CREATE TABLE warren_store_state (
  id INTEGER NOT NULL PRIMARY KEY,
  clean_shutdown BOOLEAN NOT NULL,
  redelivered_through BIGINT NOT NULL
);

INSERT INTO warren_store_state (id, clean_shutdown, redelivered_through) VALUES (1, FALSE, 0);
