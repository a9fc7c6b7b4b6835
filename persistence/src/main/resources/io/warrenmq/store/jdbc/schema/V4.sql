-- WarrenMQ store schema, version 4: prepared XA branches keep their publishes (applied to a version 3
-- database in place by io.warrenmq.store.jdbc.internal.Schema, in one transaction).
--
-- warren_xa_branch: one row per prepared branch (state 'prepared'); warren_xa_action: its actions in
-- order, kind 'ack' (vhost, queue, message_id: a message the branch acked) or 'publish' (vhost, the
-- encoded exchange, routing key, properties, body and target queues in payload; queue '' and
-- message_id 0). Both tables exist since version 1 and were empty until this version.

ALTER TABLE warren_xa_action ADD COLUMN payload ${binary};

CREATE UNIQUE INDEX warren_xa_branch_xid ON warren_xa_branch (format_id, global_id, branch_id);
