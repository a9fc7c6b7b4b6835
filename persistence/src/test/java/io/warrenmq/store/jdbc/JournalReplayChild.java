package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link JournalReplayTest} (arguments: the data directory, the body size in
 * bytes, each body the message's name then dots): on the embedded store in that directory, declares
 * the durable queue {@code q}, publishes {@link #PUBLISHED} persistent messages {@code m<i>} with
 * confirms, takes and acks the first {@link #ACKED}, publishes {@code last} with a confirm (whose
 * journal sync covers the acks' record), prints {@code DONE} and halts the JVM: no close, no
 * shutdown hook, so the database file holds only what H2 wrote before: at its default write delay
 * under {@code POWER_LOSS} H2 writes nothing after the queue's checkpoint for so few messages.
 */
public final class JournalReplayChild {
  static final int PUBLISHED = 300;
  static final int ACKED = 100;

  private JournalReplayChild() {}

  public static void main(String[] args) throws Exception {
    Broker broker =
        new Broker(
            BrokerConfig.named("child"),
            JdbcMessageStore.open(JdbcStoreConfig.h2(Path.of(args[0])), "child"));
    Connection c = broker.newConnection("/", "child");
    Channel ch = c.createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.confirmSelect();
    BasicProperties persistent =
        BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
    int bodyBytes = Integer.parseInt(args[1]);
    for (int i = 0; i < PUBLISHED; i++) {
      ch.basicPublish("", "q", false, persistent, body("m" + i, bodyBytes));
    }
    ch.waitForConfirmsOrDie(30_000);
    for (int i = 0; i < ACKED; i++) {
      GetResponse r = ch.basicGet("q", false);
      ch.basicAck(r.delivery().deliveryTag(), false);
    }
    ch.basicPublish("", "q", false, persistent, body("last", bodyBytes));
    ch.waitForConfirmsOrDie(30_000);
    System.out.println("DONE");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  /** {@code name}, then dots up to {@code bytes} bytes. */
  static byte[] body(String name, int bytes) {
    byte[] b = new byte[Math.max(bytes, name.length())];
    java.util.Arrays.fill(b, (byte) '.');
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, b, 0, n.length);
    return b;
  }
}
