package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server-side JMS selectors over the wire (Jakarta Messaging 3.1, 3.8.1 syntax; WarrenMQ's {@code
 * x-jms-selector} argument, as in-VM): on {@code basic.consume} the queue hands a consumer only the
 * messages its selector matches and keeps the others for other consumers; on {@code queue.bind} the
 * selector is evaluated when the message is routed. Headers are the selector's identifiers.
 */
@Timeout(60)
class WireSelectorTest {
  private Broker broker;
  private WarrenServer server;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    broker = new Broker(BrokerConfig.named("wire-selectors"));
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

  private static void publish(Channel ch, String exchange, String key, String body, String color)
      throws IOException {
    ch.basicPublish(
        exchange,
        key,
        new AMQP.BasicProperties.Builder().headers(Map.of("color", color)).build(),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Test
  void aConsumerWithASelectorGetsOnlyMatchingMessagesAndTheRestStayInTheQueue() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("paint", false, false, false, null);
    publish(ch, "", "paint", "r1", "red");
    publish(ch, "", "paint", "b1", "blue");
    publish(ch, "", "paint", "r2", "red");

    BlockingQueue<String> reds = new LinkedBlockingQueue<>();
    DeliverCallback onDelivery = (tag, d) -> reds.add(text(d.getBody()));
    ch.basicConsume(
        "paint", true, Map.of("x-jms-selector", "color = 'red'"), onDelivery, tag -> {});
    assertEquals("r1", reds.poll(10, TimeUnit.SECONDS));
    assertEquals("r2", reds.poll(10, TimeUnit.SECONDS));

    Channel other = connection.createChannel();
    GetResponse blue = other.basicGet("paint", true);
    assertEquals("b1", text(blue.getBody()), "the unselected message stays for others");
    assertEquals(0, reds.size(), "the selector consumer got no blue message");
  }

  @Test
  void aBindingWithASelectorRoutesOnlyMatchingMessages() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("reds", false, false, false, null);
    ch.queueBind("reds", "amq.topic", "paint.#", Map.of("x-jms-selector", "color = 'red'"));
    publish(ch, "amq.topic", "paint.wall", "r1", "red");
    publish(ch, "amq.topic", "paint.wall", "b1", "blue");
    publish(ch, "amq.topic", "paint.door", "r2", "red");

    List<String> got = new java.util.ArrayList<>();
    for (GetResponse r; (r = ch.basicGet("reds", true)) != null; ) {
      got.add(text(r.getBody()));
    }
    assertEquals(List.of("r1", "r2"), got);
  }

  @Test
  void anInvalidSelectorClosesTheChannelWith406NamingTheArgument() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("q", false, false, false, null);
    IOException consume =
        assertThrows(
            IOException.class,
            () ->
                ch.basicConsume(
                    "q", true, Map.of("x-jms-selector", "color = "), (t, d) -> {}, t -> {}));
    AMQP.Channel.Close close = channelClose(consume);
    assertEquals(406, close.getReplyCode());
    assertTrue(close.getReplyText().contains("x-jms-selector"), close.getReplyText());

    Channel again = connection.createChannel();
    IOException bind =
        assertThrows(
            IOException.class,
            () -> again.queueBind("q", "amq.topic", "k", Map.of("x-jms-selector", "color LIKE 5")));
    assertEquals(406, channelClose(bind).getReplyCode());
    assertTrue(connection.isOpen(), "a soft error leaves the connection open");
  }

  private static AMQP.Channel.Close channelClose(IOException e) {
    ShutdownSignalException s = (ShutdownSignalException) e.getCause();
    return (AMQP.Channel.Close) s.getReason();
  }
}
