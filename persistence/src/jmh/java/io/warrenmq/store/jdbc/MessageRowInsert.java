package io.warrenmq.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The store experiments' way to write {@code warren_message} rows directly, bypassing the store:
 * one statement naming the table's eight columns, a row added to its batch per call. The columns
 * are the store's table as schema version 8 left it ({@code schema/V8.sql}; later versions do not
 * change it); each row is a message not delivered yet.
 *
 * <p>Thread-safety: none; one per connection and thread.
 */
final class MessageRowInsert implements AutoCloseable {
  private final PreparedStatement statement;

  /**
   * Prepares the insert on {@code c}.
   *
   * @throws SQLException if the table does not exist or has other columns
   */
  MessageRowInsert(Connection c) throws SQLException {
    this.statement =
        c.prepareStatement(
            "INSERT INTO warren_message (id, queue_id, seq, delivered, exchange, routing_key,"
                + " properties, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  }

  /**
   * Adds a row for message {@code id} at position {@code id} of queue {@code queueId}, not
   * delivered, to the batch.
   *
   * @throws SQLException as the driver's {@code addBatch}
   */
  void add(
      long id, long queueId, String exchange, String routingKey, byte[] properties, byte[] body)
      throws SQLException {
    statement.setLong(1, id);
    statement.setLong(2, queueId);
    statement.setLong(3, id);
    statement.setBoolean(4, false);
    statement.setString(5, exchange);
    statement.setString(6, routingKey);
    statement.setBytes(7, properties);
    statement.setBytes(8, body);
    statement.addBatch();
  }

  /**
   * Runs the batch (not committed: the caller's connection decides).
   *
   * @throws SQLException as the driver's {@code executeBatch}
   */
  void executeBatch() throws SQLException {
    statement.executeBatch();
  }

  @Override
  public void close() throws SQLException {
    statement.close();
  }
}
