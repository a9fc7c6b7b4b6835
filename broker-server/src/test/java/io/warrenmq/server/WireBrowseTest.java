package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WarrenMQ's browse extension (docs/protocol-browse.md) as a plain AMQP 0-9-1 client sees it, here
 * RabbitMQ's Java client: {@code basic.consume} with {@code x-warrenmq-browse = true} answers with
 * {@code consume-ok}, one {@code basic.deliver} (delivery tag 0) per ready message in delivery
 * order, then {@code basic.cancel}; the messages stay ready for consumers.
 */
@Timeout(30)
class WireBrowseTest {
  private Broker broker;
  private WarrenServer server;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    broker = new Broker(BrokerConfig.named("wire-browse"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setAutomaticRecoveryEnabled(false);
    connection = f.newConnection();
  }

  @AfterEach
  void stop() {
    if (connection.isOpen()) {
      connection.abort();
    }
    server.close();
    broker.close();
  }

  private static void publish(Channel ch, String queue, String body, String color)
      throws IOException {
    ch.basicPublish(
        "",
        queue,
        new AMQP.BasicProperties.Builder().headers(Map.of("color", color)).build(),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** The snapshot's bodies, once the broker's basic.cancel ended it. */
  private static List<Delivery> browse(Channel ch, String queue, Map<String, Object> more)
      throws Exception {
    List<Delivery> seen = new ArrayList<>();
    CompletableFuture<String> ended = new CompletableFuture<>();
    Map<String, Object> args = new java.util.HashMap<>(more);
    args.put("x-warrenmq-browse", true);
    ch.basicConsume(
        queue,
        true,
        args,
        (tag, d) -> {
          synchronized (seen) {
            seen.add(d);
          }
        },
        ended::complete);
    ended.get(10, TimeUnit.SECONDS);
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  private static List<String> bodies(List<Delivery> ds) {
    return ds.stream().map(d -> new String(d.getBody(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void theServerAdvertisesBrowseAndRelease() {
    @SuppressWarnings("unchecked")
    Map<String, Object> caps =
        (Map<String, Object>) connection.getServerProperties().get("capabilities");
    assertEquals(true, caps.get("warrenmq.browse"));
    assertEquals(true, caps.get("warrenmq.release"));
  }

  @Test
  void aBrowseDeliversTheReadyMessagesInOrderWithTagZeroThenCancelsAndConsumesNothing()
      throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("shelf", false, false, false, null);
    publish(ch, "shelf", "a", "red");
    publish(ch, "shelf", "b", "blue");
    publish(ch, "shelf", "c", "red");
    ch.basicQos(1); // a browse ignores prefetch: it is no consumer

    List<Delivery> snapshot = browse(ch, "shelf", Map.of());
    assertEquals(List.of("a", "b", "c"), bodies(snapshot));
    for (Delivery d : snapshot) {
      assertEquals(0, d.getEnvelope().getDeliveryTag());
      assertFalse(d.getEnvelope().isRedeliver());
      assertEquals("shelf", d.getEnvelope().getRoutingKey());
    }
    assertEquals(3, ch.queueDeclarePassive("shelf").getMessageCount(), "nothing was consumed");
    // not locked either: a consumer gets them all, in order, right after the browse
    assertEquals("a", new String(ch.basicGet("shelf", true).getBody(), StandardCharsets.UTF_8));
    assertTrue(ch.isOpen());
  }

  @Test
  void aSelectorArgumentFiltersTheSnapshotOnTheBroker() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("shelf-sel", false, false, false, null);
    publish(ch, "shelf-sel", "a", "red");
    publish(ch, "shelf-sel", "b", "blue");
    publish(ch, "shelf-sel", "c", "red");
    assertEquals(
        List.of("a", "c"),
        bodies(browse(ch, "shelf-sel", Map.of("x-jms-selector", "color = 'red'"))));
  }

  @Test
  void unackedMessagesAreNotInTheSnapshot() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("shelf-unacked", false, false, false, null);
    ch.confirmSelect();
    publish(ch, "shelf-unacked", "a", "red");
    publish(ch, "shelf-unacked", "b", "red");
    // channels run independently (AMQP 0-9-1 2.3.5): without the confirms the other channel's get
    // may reach the queue before these publishes do
    ch.waitForConfirmsOrDie(5_000);
    Channel other = connection.createChannel();
    GetResponse held = other.basicGet("shelf-unacked", false);
    assertEquals("a", new String(held.getBody(), StandardCharsets.UTF_8), "held unacked");
    assertEquals(List.of("b"), bodies(browse(ch, "shelf-unacked", Map.of())));
    other.basicRecover(true);
    List<Delivery> after = browse(ch, "shelf-unacked", Map.of());
    assertEquals(List.of("a", "b"), bodies(after));
    assertTrue(after.get(0).getEnvelope().isRedeliver(), "a requeued message shows as redelivered");
  }

  @Test
  void browsingAMissingQueueClosesTheChannelWith404() throws Exception {
    Channel ch = connection.createChannel();
    IOException e = assertThrows(IOException.class, () -> browse(ch, "no-such-shelf", Map.of()));
    assertTrue(String.valueOf(e.getCause()).contains("404"), String.valueOf(e.getCause()));
    assertFalse(ch.isOpen());
    assertTrue(connection.isOpen());
  }

  @Test
  void aNonBooleanBrowseArgumentIs406() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("shelf-bad", false, false, false, null);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ch.basicConsume(
                    "shelf-bad", true, Map.of("x-warrenmq-browse", "yes"), (t, d) -> {}, t -> {}));
    assertTrue(String.valueOf(e.getCause()).contains("406"), String.valueOf(e.getCause()));
  }
}
