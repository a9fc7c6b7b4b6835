package io.warrenmq.store.jdbc.internal;

import io.warrenmq.engine.StoredDelayedMessage;
import io.warrenmq.engine.StoredMessage;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Journal} record's payload: the net writes of one group commit, i.e. the {@link
 * BatchPlan} that {@link MessageTables#write} executed, after the writer resolved queue names to
 * ids, dropped what the batch cancelled and took the delivered marks it writes. Replaying it
 * ({@link #decode}, then {@link MessageTables#write}) on the database state it was first written to
 * repeats the same statements with the same results. XA branches are never journaled (a batch with
 * one is synced in the database itself: {@link GroupCommitWriter}).
 *
 * <p>Format version 1, big-endian: {@code byte} version; ranges ({@code int} count, then queue id,
 * after, before as {@code long}s); deletes ({@code int} count, then queue id and message id);
 * inserts ({@code int} count, then queue id, message id, seq as {@code long}s, {@code byte} flags
 * (1 shared, 2 delivered), exchange and routing key as strings, properties and body as byte
 * arrays); delivered marks (count, queue id and message id); delayed messages ({@code int} count,
 * then {@code byte} 1 stored: message id, virtual host, exchange, routing key, due time (ms),
 * properties, body; or 2 deleted: message id). Strings and byte arrays: {@code int} length, then
 * the bytes (UTF-8 for strings).
 *
 * <p>Stateless apart from the encoder's buffer; the writer thread.
 */
final class JournalCodec {
  private static final int VERSION = 1;
  private static final int SHARED = 1;
  private static final int DELIVERED = 2;
  private static final int DELAYED_STORED = 1;
  private static final int DELAYED_DELETED = 2;

  /** A buffer grown past this (bytes) by a large batch is not kept for the next record. */
  private static final int KEPT_BUFFER_BYTES = 4 << 20;

  private Codec.Buffer out = new Codec.Buffer(64 << 10);

  /**
   * Encodes {@code plan} after {@link Journal#HEADER_BYTES} reserved bytes, for {@link
   * Journal#append}.
   *
   * @return the buffer's array, valid up to {@link #end()}; reused by the next call
   */
  byte[] encode(BatchPlan plan) {
    if (out.array().length > KEPT_BUFFER_BYTES) {
      out = new Codec.Buffer(64 << 10);
    }
    out.truncate(0);
    for (int i = 0; i < Journal.HEADER_BYTES; i++) {
      out.writeByte(0);
    }
    out.writeByte(VERSION);
    out.writeInt(plan.ranges.size());
    for (BatchPlan.Range r : plan.ranges) {
      out.writeLong(r.queueId());
      out.writeLong(r.afterSeq());
      out.writeLong(r.beforeSeq());
    }
    writeKeys(plan.deletes);
    out.writeInt(plan.inserts.size());
    for (Op.Enqueue e : plan.inserts.values()) {
      StoredMessage m = e.message;
      out.writeLong(e.queueId);
      out.writeLong(m.messageId());
      out.writeLong(e.seq);
      out.writeByte((e.shared ? SHARED : 0) | (e.delivered ? DELIVERED : 0));
      writeString(m.exchange());
      writeString(m.routingKey());
      writeBytes(e.encodedProperties);
      writeBytes(m.body());
    }
    writeKeys(plan.delivered);
    out.writeInt(plan.delayed.size());
    for (Op op : plan.delayed) {
      if (op instanceof Op.StoreDelayed s) {
        StoredMessage m = s.message.message();
        out.writeByte(DELAYED_STORED);
        out.writeLong(m.messageId());
        writeString(s.message.virtualHost());
        writeString(m.exchange());
        writeString(m.routingKey());
        out.writeLong(s.message.dueAtMillis());
        writeBytes(s.encodedProperties);
        writeBytes(m.body());
      } else {
        out.writeByte(DELAYED_DELETED);
        out.writeLong(((Op.DeleteDelayed) op).messageId);
      }
    }
    return out.array();
  }

  /** The end of the last {@link #encode}d record in its array. */
  int end() {
    return out.size();
  }

  /**
   * The plan a record holds, for {@link MessageTables#write}.
   *
   * @throws IllegalStateException if the payload is not a version 1 record (the journal's checksum
   *     passed, so this is a format this code does not know)
   */
  static BatchPlan decode(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      int version = in.get();
      if (version != VERSION) {
        throw new IllegalStateException("journal record of format version " + version);
      }
      BatchPlan plan = new BatchPlan();
      for (int i = in.getInt(); i > 0; i--) {
        plan.ranges.add(new BatchPlan.Range(in.getLong(), in.getLong(), in.getLong()));
      }
      plan.deletes.addAll(readKeys(in));
      for (int i = in.getInt(); i > 0; i--) {
        long queueId = in.getLong();
        long messageId = in.getLong();
        long seq = in.getLong();
        int flags = in.get();
        String exchange = readString(in);
        String routingKey = readString(in);
        byte[] properties = readBytes(in);
        byte[] body = readBytes(in);
        Op.Enqueue e =
            new Op.Enqueue(
                "",
                "",
                seq,
                new StoredMessage(
                    messageId, exchange, routingKey, Codec.decodeProperties(properties), body),
                properties);
        e.queueId = queueId;
        e.shared = (flags & SHARED) != 0;
        e.delivered = (flags & DELIVERED) != 0;
        plan.enqueue(e);
      }
      plan.delivered = readKeys(in);
      for (int i = in.getInt(); i > 0; i--) {
        int kind = in.get();
        long messageId = in.getLong();
        if (kind == DELAYED_STORED) {
          String vhost = readString(in);
          String exchange = readString(in);
          String routingKey = readString(in);
          long due = in.getLong();
          byte[] properties = readBytes(in);
          byte[] body = readBytes(in);
          StoredMessage m =
              new StoredMessage(
                  messageId, exchange, routingKey, Codec.decodeProperties(properties), body);
          plan.delayed.add(
              new Op.StoreDelayed(new StoredDelayedMessage(vhost, m, due), properties));
        } else if (kind == DELAYED_DELETED) {
          plan.delayed.add(new Op.DeleteDelayed(messageId));
        } else {
          throw new IllegalStateException("journal record with delayed-message kind " + kind);
        }
      }
      if (in.hasRemaining()) {
        throw new IllegalStateException(in.remaining() + " bytes after the journal record's end");
      }
      return plan;
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new IllegalStateException("truncated journal record", e);
    }
  }

  private void writeKeys(List<EntryKey> keys) {
    out.writeInt(keys.size());
    for (EntryKey k : keys) {
      out.writeLong(k.queueId());
      out.writeLong(k.messageId());
    }
  }

  private void writeString(String s) {
    writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private void writeBytes(byte[] b) {
    out.writeInt(b.length);
    out.write(b);
  }

  private static List<EntryKey> readKeys(ByteBuffer in) {
    int n = in.getInt();
    List<EntryKey> keys = new ArrayList<>(Math.max(0, Math.min(n, in.remaining() / 16)));
    for (int i = 0; i < n; i++) {
      keys.add(new EntryKey(in.getLong(), in.getLong()));
    }
    return keys;
  }

  private static String readString(ByteBuffer in) {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(ByteBuffer in) {
    byte[] b = new byte[in.getInt()];
    in.get(b);
    return b;
  }
}
