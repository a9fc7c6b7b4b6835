package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;

/**
 * The child JVM of {@link KillRecoveryTest}: runs a broker on a store until it is killed, printing
 * one line per event (the {@code ;} marks a complete line).
 *
 * <ul>
 *   <li>{@code <round>}: publishes persistent messages with confirms from two channels at full
 *       speed, printing {@code C <id>;} for every confirmed message.
 *   <li>{@code consume}: consumes queue {@code q} with manual acks (prefetch 10,000), printing
 *       {@code D <body>;} for every delivery, then acking every other message and printing {@code A
 *       <body>;} once {@code basicAck} returned (the ack is not committed yet then).
 * </ul>
 *
 * <p>Arguments: {@code h2 <dataDir> <round>|consume} or {@code pg <schema> <round>|consume}.
 */
public final class KillRecoveryChild {
  private static final int PUBLISHERS = 2;

  private KillRecoveryChild() {}

  public static void main(String[] args) throws Exception {
    JdbcStoreConfig config =
        args[0].equals("h2") ? JdbcStoreConfig.h2(Path.of(args[1])) : Databases.postgres(args[1]);
    String round = args[2];
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    Broker broker = new Broker(BrokerConfig.named("child"), JdbcMessageStore.open(config, "child"));
    Connection c = broker.newConnection("/", "child");
    if (round.equals("consume")) {
      consume(c, out);
      return;
    }
    Channel setup = c.createChannel();
    setup.queueDeclare(QueueSpec.durable("q"));
    setup.confirmSelect();
    setup.basicPublish("", "q", false, BasicProperties.EMPTY, new byte[0]); // transient barrier
    setup.waitForConfirmsOrDie(10_000);
    out.println("READY;");
    BasicProperties persistent =
        BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
    for (int k = 0; k < PUBLISHERS; k++) {
      Channel ch = c.createChannel();
      ch.confirmSelect();
      ConcurrentSkipListMap<Long, String> unconfirmed = new ConcurrentSkipListMap<>();
      Semaphore window = new Semaphore(500);
      ch.addConfirmListener(new ConfirmedLines(unconfirmed, window, out));
      int publisher = k;
      Thread t =
          new Thread(
              () -> {
                try {
                  while (true) {
                    window.acquire();
                    long seq = ch.getNextPublishSeqNo();
                    String id = round + "-" + publisher + "-" + seq;
                    unconfirmed.put(seq, id);
                    ch.basicPublish(
                        "", "q", false, persistent, id.getBytes(StandardCharsets.UTF_8));
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "child-publisher-" + k);
      t.start();
    }
    Thread.currentThread().join(); // until killed
  }

  private static void consume(Connection c, PrintStream out) throws InterruptedException {
    Channel ch = c.createChannel();
    ch.basicQos(10_000, false);
    out.println("READY;");
    ch.basicConsume(
        "q",
        false,
        "",
        false,
        null,
        d -> {
          String body = new String(d.body(), StandardCharsets.UTF_8);
          out.println("D " + body + ";");
          if (body.hashCode() % 2 == 0) {
            ch.basicAck(d.deliveryTag(), false);
            out.println("A " + body + ";");
          }
        });
    Thread.currentThread().join(); // until killed
  }
}
