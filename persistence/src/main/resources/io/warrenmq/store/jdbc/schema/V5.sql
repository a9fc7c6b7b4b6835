-- WarrenMQ store schema, version 5: a prepared XA branch records how it settled each message
-- (applied to a version 4 database in place by io.warrenmq.store.jdbc.internal.Schema, in one
-- transaction).
--
-- warren_xa_action.kind is 'publish', 'ack' (basic.ack: the message is removed at commit) or, new in
-- this version, 'reject' (basic.reject or basic.nack without requeue: the message is dead-lettered
-- through its queue's x-dead-letter-exchange at commit, reason 'rejected'). Version 4 wrote both
-- settlements as 'ack'; such rows are kept as they are. A release that knows only version 4 refuses
-- this database at start-up instead of failing on a 'reject' row at recovery.

ALTER TABLE warren_xa_action ADD CONSTRAINT warren_xa_action_kind
  CHECK (kind IN ('publish', 'ack', 'reject'));
