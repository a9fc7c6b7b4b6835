-- WarrenMQ store schema, version 9: the write-ahead journal's mark (applied to a version 8
-- database in place by io.warrenmq.store.jdbc.internal.Schema, in one transaction).
--
-- warren_store_state.journal_seq: the sequence number of the last record of the embedded store's
-- journal (<dataDir>/warren.journal, io.warrenmq.store.jdbc.internal.Journal) whose writes this
-- database holds; written by the writer in the same transaction as those writes. At start-up the
-- journal's records numbered above it are replayed. 0 for a store that never had a journal (a
-- PostgreSQL store, or an embedded one under durability PROCESS_CRASH).

ALTER TABLE warren_store_state ADD COLUMN journal_seq BIGINT DEFAULT 0 NOT NULL;
