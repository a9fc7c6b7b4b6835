package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
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
import java.util.concurrent.ThreadLocalRandom;

/**
 * The child JVM of {@link DelayedMessageRecoveryTest}'s kill test: a broker on an H2 store whose
 * durable delayed exchange {@code d} routes to queue {@code q}; publishes persistent messages with
 * {@code x-delay} between 1 and 4 s, with confirms, until it is killed, printing {@code C <body>;}
 * for every confirmed message. A body is {@code <n>@<due>}: {@code due} is the earliest time (ms
 * since the epoch) the message may be delivered.
 *
 * <p>Arguments: {@code <dataDir>}.
 */
public final class DelayedKillChild {
  private DelayedKillChild() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    Broker broker =
        new Broker(
            BrokerConfig.named("child"),
            JdbcMessageStore.open(JdbcStoreConfig.h2(Path.of(args[0])), "child"));
    Connection c = broker.newConnection("/", "child");
    Channel ch = c.createChannel();
    DelayedMessageRecoveryTest.declare(ch);
    ch.confirmSelect();
    ConcurrentSkipListMap<Long, String> unconfirmed = new ConcurrentSkipListMap<>();
    Semaphore window = new Semaphore(200);
    ch.addConfirmListener(new ConfirmedLines(unconfirmed, window, out));
    out.println("READY;");
    for (long n = 0; ; n++) {
      window.acquire();
      int delay = 1_000 + ThreadLocalRandom.current().nextInt(3_000);
      String body = n + "@" + (System.currentTimeMillis() + delay);
      BasicProperties props =
          BasicProperties.builder()
              .deliveryMode(BasicProperties.PERSISTENT)
              .header("x-delay", delay)
              .build();
      unconfirmed.put(ch.getNextPublishSeqNo(), body);
      ch.basicPublish("d", "k", false, props, body.getBytes(StandardCharsets.UTF_8));
    }
  }
}
