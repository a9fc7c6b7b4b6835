package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of a consumer's frames on its channel (AMQP 0-9-1 class basic, as RabbitMQ sends them):
 * {@code basic.consume-ok} before the first {@code basic.deliver} to the new tag, and no {@code
 * basic.deliver} to a tag after its {@code basic.cancel-ok}. RabbitMQ's Java client closes the
 * connection on an "unsolicited delivery" to a tag it does not know, so either mistake kills the
 * client's connection; and no message may be lost on the way.
 */
@Timeout(120)
class ConsumerOrderingTest {
  private Broker broker;
  private WarrenServer server;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    broker = new Broker(BrokerConfig.named("consumer-ordering"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
    connection = factory().newConnection();
  }

  @AfterEach
  void stop() {
    if (connection.isOpen()) {
      connection.abort();
    }
    server.close();
    broker.close();
  }

  private ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setAutomaticRecoveryEnabled(false);
    return f;
  }

  @Test
  void consumeOkComesBeforeTheFirstDeliveryFromABackloggedQueue() throws Exception {
    Channel ch = connection.createChannel();
    ch.confirmSelect();
    for (int round = 0; round < 30; round++) {
      String queue = ch.queueDeclare().getQueue();
      for (int i = 0; i < 200; i++) {
        ch.basicPublish("", queue, null, new byte[] {(byte) i});
      }
      ch.waitForConfirmsOrDie(10_000);
      CountDownLatch all = new CountDownLatch(200);
      String tag = ch.basicConsume(queue, true, counting(ch, all));
      assertTrue(all.await(10, TimeUnit.SECONDS), "round " + round + ": " + all.getCount());
      ch.basicCancel(tag);
    }
    assertTrue(connection.isOpen(), "no unsolicited delivery closed the connection");
  }

  @Test
  void noDeliveryFollowsCancelOkAndNoAutoAckedMessageIsLost() throws Exception {
    cancelWhileDelivering(true);
  }

  @Test
  void noDeliveryFollowsCancelOkAndNoManuallyAckedMessageIsLost() throws Exception {
    cancelWhileDelivering(false);
  }

  @Test
  void noDeliveryOfAClosedChannelReachesTheChannelReopenedWithItsNumber() throws Exception {
    String queue = "busy";
    connection.createChannel().queueDeclare(queue, false, false, false, null);
    AtomicLong published = new AtomicLong();
    Set<String> received = ConcurrentHashMap.newKeySet();
    try (Publisher publisher = new Publisher(queue, published)) {
      for (int round = 0; round < 200 && connection.isOpen(); round++) {
        Channel ch = connection.createChannel(7);
        ch.basicQos(20);
        ch.basicConsume(
            queue,
            false,
            new DefaultConsumer(ch) {
              @Override
              public void handleDelivery(
                  String consumerTag, Envelope env, AMQP.BasicProperties p, byte[] body)
                  throws IOException {
                received.add(new String(body, StandardCharsets.UTF_8));
                try {
                  getChannel().basicAck(env.getDeliveryTag(), false);
                } catch (AlreadyClosedException e) {
                  // the test is closing the channel: the message goes back to the queue
                }
              }
            });
        Thread.sleep(round % 3); // close at varying points of a delivery burst
        ch.close();
      }
    }
    assertTrue(connection.isOpen(), "no delivery for the old channel 7 reached the new one");
    Channel ch = connection.createChannel();
    GetResponse r;
    while ((r = ch.basicGet(queue, true)) != null) {
      received.add(new String(r.getBody(), StandardCharsets.UTF_8));
    }
    assertEquals(published.get(), received.size(), "every message delivered or still queued");
  }

  /** Publishes to a queue from its own connection until closed, counting the confirmed ids. */
  private final class Publisher implements AutoCloseable {
    private final Connection connection;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<Throwable> failed = new AtomicReference<>();

    Publisher(String queue, AtomicLong published) throws Exception {
      connection = factory().newConnection();
      Channel pub = connection.createChannel();
      pub.confirmSelect();
      thread =
          new Thread(
              () -> {
                try {
                  while (stop.getCount() > 0) {
                    for (int i = 0; i < 50; i++) {
                      String id = Long.toString(published.getAndIncrement());
                      pub.basicPublish("", queue, null, id.getBytes(StandardCharsets.UTF_8));
                    }
                    pub.waitForConfirmsOrDie(10_000);
                  }
                } catch (Exception e) {
                  failed.set(e);
                }
              },
              "ordering-test-publisher");
      thread.start();
    }

    @Override
    public void close() throws Exception {
      stop.countDown();
      thread.join(10_000);
      connection.close();
      assertNull(failed.get(), "publisher");
    }
  }

  /**
   * A publisher on another connection keeps the queue busy while the consumer is registered and
   * cancelled 300 times; every published message is delivered once or is still in the queue.
   */
  private void cancelWhileDelivering(boolean autoAck) throws Exception {
    Channel ch = connection.createChannel();
    String queue = ch.queueDeclare("busy", false, false, false, null).getQueue();
    AtomicLong published = new AtomicLong();
    Set<String> received = ConcurrentHashMap.newKeySet();
    AtomicLong twice = new AtomicLong();
    try (Publisher publisher = new Publisher(queue, published)) {
      for (int round = 0; round < 300 && connection.isOpen(); round++) {
        String tag =
            ch.basicConsume(
                queue,
                autoAck,
                new DefaultConsumer(ch) {
                  @Override
                  public void handleDelivery(
                      String consumerTag, Envelope env, AMQP.BasicProperties p, byte[] body)
                      throws IOException {
                    if (!received.add(new String(body, StandardCharsets.UTF_8))) {
                      twice.incrementAndGet();
                    }
                    if (!autoAck) {
                      getChannel().basicAck(env.getDeliveryTag(), false);
                    }
                  }
                });
        Thread.sleep(round % 3); // cancel at varying points of a delivery burst
        ch.basicCancel(tag);
      }
    }
    assertTrue(connection.isOpen(), "no unsolicited delivery closed the consumer's connection");
    long left = 0;
    GetResponse r;
    while ((r = ch.basicGet(queue, true)) != null) {
      if (!received.add(new String(r.getBody(), StandardCharsets.UTF_8))) {
        twice.incrementAndGet();
      }
      left++;
    }
    assertEquals(0, twice.get(), "messages delivered twice");
    assertEquals(published.get(), received.size(), "delivered or left in the queue, " + left);
  }

  private static DefaultConsumer counting(Channel ch, CountDownLatch latch) {
    return new DefaultConsumer(ch) {
      @Override
      public void handleDelivery(
          String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        latch.countDown();
      }
    };
  }
}
