package io.warrenmq.store.jdbc.internal;

import io.warrenmq.engine.PreparedBranch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared XA branches in {@code warren_xa_branch} and {@code warren_xa_action} (schema V4, V5
 * for the {@code reject} kind): written by the writer in the transaction of the batch that holds
 * the {@code prepareBranch} or {@code forgetBranch}, read at recovery.
 *
 * <p>A publish is one {@code publish} action whose {@code payload} encodes its exchange, routing
 * key, properties ({@link Codec}), body and target queues (a versioned binary form, not Java
 * serialization); an ack is one {@code ack} action naming the queue and message id, a reject or
 * nack without requeue one {@code reject} action ({@link PreparedBranch.AckKind}).
 *
 * <p>Stateless and thread-safe; the connection is the caller's.
 */
final class XaBranchTable {
  private static final int PAYLOAD_VERSION = 1;
  private static final String PREPARED = "prepared";
  private static final String PUBLISH = "publish";
  private static final String ACK = "ack";
  private static final String REJECT = "reject";

  private XaBranchTable() {}

  /** Applies the prepares and forgets of a batch, in order. */
  static void write(Connection c, List<Op> ops) throws SQLException {
    for (Op op : ops) {
      if (op instanceof Op.PrepareBranch p) {
        PreparedBranch b = p.branch;
        forget(c, b.formatId(), b.globalTransactionId(), b.branchQualifier());
        insert(c, b);
      } else if (op instanceof Op.ForgetBranch f) {
        forget(c, f.formatId, f.globalTransactionId, f.branchQualifier);
      }
    }
  }

  private static void forget(Connection c, int formatId, byte[] gtrid, byte[] bqual)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "DELETE FROM warren_xa_action WHERE branch_id IN (SELECT id FROM warren_xa_branch"
                + " WHERE format_id = ? AND global_id = ? AND branch_id = ?)")) {
      bindXid(p, formatId, gtrid, bqual);
      p.executeUpdate();
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "DELETE FROM warren_xa_branch WHERE format_id = ? AND global_id = ? AND branch_id = ?")) {
      bindXid(p, formatId, gtrid, bqual);
      p.executeUpdate();
    }
  }

  private static void bindXid(PreparedStatement p, int formatId, byte[] gtrid, byte[] bqual)
      throws SQLException {
    p.setInt(1, formatId);
    p.setBytes(2, gtrid);
    p.setBytes(3, bqual);
  }

  private static void insert(Connection c, PreparedBranch b) throws SQLException {
    long id;
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO warren_xa_branch (format_id, global_id, branch_id, state)"
                + " VALUES (?, ?, ?, ?)",
            new String[] {"id"})) {
      bindXid(p, b.formatId(), b.globalTransactionId(), b.branchQualifier());
      p.setString(4, PREPARED);
      p.executeUpdate();
      try (ResultSet keys = p.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("no id generated for a warren_xa_branch row");
        }
        id = keys.getLong(1);
      }
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO warren_xa_action (branch_id, seq, kind, vhost, queue, message_id, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      int seq = 0;
      for (PreparedBranch.Publish pub : b.publishes()) {
        p.setLong(1, id);
        p.setInt(2, seq++);
        p.setString(3, PUBLISH);
        p.setString(4, pub.virtualHost());
        p.setString(5, "");
        p.setLong(6, 0);
        p.setBytes(7, encode(pub));
        p.addBatch();
      }
      for (PreparedBranch.Ack a : b.acks()) {
        p.setLong(1, id);
        p.setInt(2, seq++);
        p.setString(3, a.kind() == PreparedBranch.AckKind.REJECT ? REJECT : ACK);
        p.setString(4, a.virtualHost());
        p.setString(5, a.queue());
        p.setLong(6, a.messageId());
        p.setNull(7, Types.VARBINARY);
        p.addBatch();
      }
      if (seq > 0) {
        p.executeBatch();
      }
    }
  }

  /** Every prepared branch, in the order they were written. */
  static List<PreparedBranch> read(Connection c) throws SQLException {
    record Row(int formatId, byte[] gtrid, byte[] bqual) {}
    Map<Long, Row> rows = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, format_id, global_id, branch_id FROM warren_xa_branch ORDER BY id")) {
      while (rs.next()) {
        rows.put(rs.getLong(1), new Row(rs.getInt(2), rs.getBytes(3), rs.getBytes(4)));
      }
    }
    List<PreparedBranch> out = new ArrayList<>(rows.size());
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT kind, vhost, queue, message_id, payload FROM warren_xa_action"
                + " WHERE branch_id = ? ORDER BY seq")) {
      for (Map.Entry<Long, Row> r : rows.entrySet()) {
        List<PreparedBranch.Publish> publishes = new ArrayList<>();
        List<PreparedBranch.Ack> acks = new ArrayList<>();
        p.setLong(1, r.getKey());
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            String kind = rs.getString(1);
            if (PUBLISH.equals(kind)) {
              publishes.add(decode(rs.getString(2), rs.getBytes(5)));
            } else if (ACK.equals(kind) || REJECT.equals(kind)) {
              acks.add(
                  new PreparedBranch.Ack(
                      rs.getString(2),
                      rs.getString(3),
                      rs.getLong(4),
                      ACK.equals(kind)
                          ? PreparedBranch.AckKind.ACK
                          : PreparedBranch.AckKind.REJECT));
            } else {
              throw new IllegalStateException(
                  "warren_xa_action row of branch "
                      + r.getKey()
                      + " has unknown kind '"
                      + kind
                      + "'");
            }
          }
        }
        Row row = r.getValue();
        out.add(new PreparedBranch(row.formatId(), row.gtrid(), row.bqual(), publishes, acks));
      }
    }
    return out;
  }

  static byte[] encode(PreparedBranch.Publish p) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(p.body().length + 128);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(PAYLOAD_VERSION);
      writeString(out, p.exchange());
      writeString(out, p.routingKey());
      byte[] props = Codec.encode(p.properties());
      out.writeInt(props.length);
      out.write(props);
      out.writeInt(p.body().length);
      out.write(p.body());
      out.writeInt(p.queues().size());
      for (String q : p.queues()) {
        writeString(out, q);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PreparedBranch.Publish decode(String vhost, byte[] payload) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      int version = in.readUnsignedByte();
      if (version != PAYLOAD_VERSION) {
        throw new IllegalStateException(
            "stored XA publish has payload version " + version + ", expected " + PAYLOAD_VERSION);
      }
      String exchange = readString(in);
      String routingKey = readString(in);
      byte[] props = in.readNBytes(in.readInt());
      byte[] body = in.readNBytes(in.readInt());
      int n = in.readInt();
      List<String> queues = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        queues.add(readString(in));
      }
      return new PreparedBranch.Publish(
          vhost, exchange, routingKey, Codec.decodeProperties(props), body, queues);
    } catch (IOException e) {
      throw new IllegalStateException("stored XA publish payload is truncated: " + e, e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
  }
}
