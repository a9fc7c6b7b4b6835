package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.netty.buffer.Unpooled;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.internal.wire.FuzzInputs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing over sockets against a running server (issue 16, "Bad input"): hostile connections send
 * noise before the protocol header, or log in properly and then send mutated frames ({@link
 * FuzzInputs}), while a well-behaved RabbitMQ Java client publishes with confirms. The broker must
 * not crash, must close every connection it refused (none stays open once its peer is gone), must
 * keep serving the good client during and after, and must lose none of its confirmed messages.
 *
 * <p>Bounded: {@code -Dwarren.fuzz.seconds=N} (default 5) and {@code -Dwarren.fuzz.seed=S}
 * (default: new each run, printed), as {@code FrameDecoderFuzzTest}.
 */
class SocketFuzzTest {

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void hostileConnectionsNeitherStopTheBrokerNorCostAWellBehavedClientAConfirmedMessage()
      throws Exception {
    long seconds = Long.getLong("warren.fuzz.seconds", 5);
    long seed = Long.getLong("warren.fuzz.seed", System.nanoTime());
    System.out.println("SocketFuzzTest: seed " + seed + ", " + seconds + " s");
    Random random = new Random(seed);
    List<byte[]> corpus = FuzzInputs.corpus();

    try (Broker broker = new Broker(BrokerConfig.named("socket-fuzz"));
        WarrenServer server = WarrenServer.start(broker, ServerConfig.defaults())) {
      ConnectionFactory f = new ConnectionFactory();
      f.setHost("127.0.0.1");
      f.setPort(server.port());
      f.setAutomaticRecoveryEnabled(false);
      try (Connection good = f.newConnection("good")) {
        Channel publisher = good.createChannel();
        publisher.queueDeclare("good", true, false, false, null);
        publisher.confirmSelect();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong confirmed = new AtomicLong();
        AtomicReference<Throwable> goodFailure = new AtomicReference<>();
        Thread goodClient =
            new Thread(
                () -> {
                  try {
                    long n = 0;
                    while (!stop.get()) {
                      for (int i = 0; i < 20; i++) {
                        publisher.basicPublish(
                            "",
                            "good",
                            MessageProperties.PERSISTENT_BASIC,
                            ByteBuffer.allocate(8).putLong(n++).array());
                      }
                      publisher.waitForConfirmsOrDie(30_000);
                      confirmed.set(n);
                      Thread.sleep(2); // a steady client, not a flood: the queue is read back
                    }
                  } catch (Throwable t) {
                    goodFailure.set(t);
                  }
                },
                "good-client");
        goodClient.start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<RawAmqpClient> lingering = new java.util.ArrayList<>();
        int hostile = 0;
        int refused = 0;
        while (System.nanoTime() < deadline || hostile < 200) {
          hostile++;
          byte[] input = FuzzInputs.mutate(random, corpus);
          if (random.nextInt(4) == 0) {
            // before the protocol header: noise instead of "AMQP 0 0 9 1"
            try (Socket s = new Socket("127.0.0.1", server.port())) {
              OutputStream out = s.getOutputStream();
              out.write(input);
              out.flush();
            } catch (IOException e) {
              // the server may reset a connection it refused while we still write: fine
            }
            continue;
          }
          RawAmqpClient c = null;
          try {
            c = RawAmqpClient.connect(server.port(), 131072);
            c.openChannel(1);
            c.sendRaw(Unpooled.wrappedBuffer(input));
            if (c.refusalWithin(200) != null) {
              refused++;
            }
            // half the peers vanish at once; the others leave the server's close unanswered
            // until it gives up waiting for close-ok
            if (random.nextBoolean()) {
              lingering.add(c);
              continue;
            }
            c.close();
          } catch (IOException e) {
            refused++; // reset while writing: refused
            if (c != null) {
              c.close();
            }
          }
        }
        stop.set(true);
        goodClient.join(60_000);

        assertNull(goodFailure.get(), () -> "the good client failed: " + goodFailure.get());
        assertTrue(good.isOpen(), "the good client's connection is open");
        assertTrue(refused > hostile / 4, "hostile inputs refused: " + refused + " of " + hostile);
        // no stuck connections: once their peers are gone, only the good client's remains
        for (RawAmqpClient c : lingering) {
          c.close();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.connectionCount() > 1 && System.nanoTime() < until) {
          Thread.sleep(50);
        }
        assertEquals(1, server.connectionCount(), "connections left after " + hostile + " hostile");

        // every confirmed message is there, in order, and the broker still serves
        Channel reader = good.createChannel();
        assertEquals(
            confirmed.get(),
            reader.queueDeclarePassive("good").getMessageCount(),
            "confirmed messages in the queue");
        long[] next = {0};
        java.util.concurrent.CountDownLatch all =
            new java.util.concurrent.CountDownLatch((int) confirmed.get());
        AtomicReference<String> disorder = new AtomicReference<>();
        reader.basicConsume(
            "good",
            true,
            (tag, d) -> {
              long got = ByteBuffer.wrap(d.getBody()).getLong();
              if (got != next[0]++) {
                disorder.compareAndSet(null, "expected " + (next[0] - 1) + ", got " + got);
              }
              all.countDown();
            },
            tag -> {});
        assertTrue(all.await(60, TimeUnit.SECONDS), "every confirmed message delivered");
        assertNull(disorder.get(), "message order");
        try (Connection fresh = f.newConnection("after")) {
          Channel ch = fresh.createChannel();
          String q = ch.queueDeclare().getQueue();
          ch.basicPublish("", q, null, new byte[] {42});
          assertEquals(42, ch.basicGet(q, true).getBody()[0]);
        }
        System.out.println(
            "SocketFuzzTest: "
                + hostile
                + " hostile connections ("
                + refused
                + " refused), "
                + confirmed.get()
                + " confirmed messages kept");
      }
    }
  }
}
