-- WarrenMQ store schema, version 6: persistent messages held by durable x-delayed-message exchanges
-- (applied to a version 5 database in place by io.warrenmq.store.jdbc.internal.Schema, in one
-- transaction).
--
-- warren_delayed_message: one row per held message, written before its publish is confirmed and
-- deleted in the transaction that enqueues it when it is due (so it is delivered once). id comes
-- from the broker's message ids (unique with warren_message's); properties are those it is routed
-- with (x-delay negated); due_at is in ms since the epoch. A version 5 database holds none.

CREATE TABLE warren_delayed_message (
  id BIGINT NOT NULL PRIMARY KEY,
  vhost VARCHAR(255) NOT NULL,
  exchange VARCHAR(255) NOT NULL,
  routing_key VARCHAR(255) NOT NULL,
  properties ${binary} NOT NULL,
  body ${binary} NOT NULL,
  due_at BIGINT NOT NULL
);
