-- WarrenMQ store schema, version 8: queue-made message ids and a redelivered watermark per queue
-- (applied to a version 7 database in place by io.warrenmq.store.jdbc.internal.Schema, in one
-- transaction).
--
-- warren_message: a message held by one queue now has a queue-made id,
-- 2^62 | queue_id << 40 | seq (io.warrenmq.store.jdbc.internal.MessageIds), so that a queue's rows
-- are one range of the primary key, in queue order: the (queue_id, seq) index is dropped, and a
-- publish writes one B-tree entry instead of two. queue_id, seq and delivered stay in the row.
-- Every other message (a global id, below 2^62) has queue_id NULL and one warren_queue_entry row
-- per queue, as shared messages always had.
--
-- warren_redelivered: the redelivered watermark per queue (io.warrenmq.store.jdbc.internal.
-- StoreState), the highest seq of the queue at the last start after an unclean stop; it replaces
-- warren_store_state.redelivered_through, a message id.

CREATE TABLE warren_redelivered (
  queue_id BIGINT NOT NULL PRIMARY KEY,
  through_seq BIGINT NOT NULL
);

-- the old watermark, a message id, becomes the highest seq of each queue's messages up to it
INSERT INTO warren_redelivered (queue_id, through_seq)
SELECT t.queue_id, MAX(t.seq) FROM (
  SELECT m.queue_id AS queue_id, m.seq AS seq FROM warren_message m
  WHERE m.queue_id IS NOT NULL
  AND m.id <= (SELECT s.redelivered_through FROM warren_store_state s WHERE s.id = 1)
  UNION ALL
  SELECT e.queue_id AS queue_id, e.seq AS seq FROM warren_queue_entry e
  WHERE e.message_id <= (SELECT s.redelivered_through FROM warren_store_state s WHERE s.id = 1)
) t GROUP BY t.queue_id;

ALTER TABLE warren_store_state DROP COLUMN redelivered_through;

-- messages of one queue stored by version 7 keep their (global) ids and become shared ones
INSERT INTO warren_queue_entry (queue_id, message_id, seq, delivered)
SELECT queue_id, id, seq, delivered FROM warren_message WHERE queue_id IS NOT NULL;

UPDATE warren_message SET queue_id = NULL, seq = NULL, delivered = FALSE
WHERE queue_id IS NOT NULL;

DROP INDEX warren_message_order;
