package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same scenarios against the RabbitMQ on 127.0.0.1:5672 (the reference) and against WarrenMQ,
 * through RabbitMQ's Java client: each scenario's observable outcome (reply codes with the failing
 * class and method, redelivered flags, message order, {@code x-death} headers) is computed on both
 * and must be equal. RabbitMQ's run is skipped, with a message, only when nothing listens on 5672.
 */
@Timeout(120)
class RabbitMqInteropTest {
  private static Broker broker;
  private static WarrenServer server;

  @BeforeAll
  static void start() {
    broker = new Broker(BrokerConfig.named("interop"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  @AfterAll
  static void stop() {
    server.close();
    broker.close();
  }

  private static Connection connect(String target) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setAutomaticRecoveryEnabled(false);
    if (target.equals("rabbitmq")) {
      assumeTrue(
          listening(5672),
          "RabbitMQ is not listening on 127.0.0.1:5672: the reference run is skipped");
      f.setPort(5672);
    } else {
      f.setPort(server.port());
    }
    return f.newConnection();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What both brokers must agree on, per scenario. */
  private static final Map<String, Map<String, Object>> OUTCOMES = new TreeMap<>();

  private static void record(String scenario, String target, Object outcome) {
    synchronized (OUTCOMES) {
      OUTCOMES.computeIfAbsent(scenario, k -> new TreeMap<>()).put(target, outcome);
      Map<String, Object> both = OUTCOMES.get(scenario);
      if (both.size() == 2) {
        assertEquals(both.get("rabbitmq"), both.get("warrenmq"), scenario + ": " + both);
      }
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  private static String close(IOException e) {
    ShutdownSignalException s = assertInstanceOf(ShutdownSignalException.class, e.getCause());
    AMQP.Channel.Close c = (AMQP.Channel.Close) s.getReason();
    return c.getReplyCode() + " " + c.getClassId() + "." + c.getMethodId();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "warrenmq"})
  void errorsCloseTheChannelWithTheSameCodeAndMethod(String target) throws Exception {
    try (Connection c = connect(target)) {
      List<String> outcome = new ArrayList<>();
      Channel ch = c.createChannel();
      outcome.add(
          close(assertThrows(IOException.class, () -> ch.queueDeclarePassive(unique("q")))));
      Channel ch2 = c.createChannel();
      String q = unique("args");
      ch2.queueDeclare(q, false, false, true, Map.of("x-message-ttl", 1000));
      outcome.add(
          close(
              assertThrows(
                  IOException.class,
                  () -> ch2.queueDeclare(q, false, false, true, Map.of("x-message-ttl", 2000)))));
      Channel ch3 = c.createChannel();
      outcome.add(
          close(assertThrows(IOException.class, () -> ch3.exchangeDeclarePassive(unique("e")))));
      Channel ch4 = c.createChannel();
      outcome.add(
          close(assertThrows(IOException.class, () -> ch4.exchangeDeclare("amq.direct", "topic"))));
      Channel ch5 = c.createChannel();
      String owned = unique("excl");
      ch5.queueDeclare(owned, false, true, true, null);
      ch5.basicConsume(owned, true, "c1", false, true, null, (tag, d) -> {}, tag -> {});
      Channel ch6 = c.createChannel();
      outcome.add(
          close(
              assertThrows(
                  IOException.class,
                  () -> ch6.basicConsume(owned, true, (tag, d) -> {}, tag -> {}))));
      record("channel errors", target, outcome);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "warrenmq"})
  void ackOfAnUnknownDeliveryTagClosesTheChannelWithPreconditionFailed(String target)
      throws Exception {
    try (Connection c = connect(target)) {
      Channel ch = c.createChannel();
      CountDownLatch closed = new CountDownLatch(1);
      String[] reason = new String[1];
      ch.addShutdownListener(
          s -> {
            AMQP.Channel.Close close = (AMQP.Channel.Close) s.getReason();
            reason[0] = close.getReplyCode() + " " + close.getClassId() + "." + close.getMethodId();
            closed.countDown();
          });
      ch.basicAck(99, false);
      closed.await(10, TimeUnit.SECONDS);
      record("unknown delivery tag", target, reason[0]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "warrenmq"})
  void orderRedeliveryAndCountsAgree(String target) throws Exception {
    try (Connection c = connect(target)) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare().getQueue();
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("", q, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      List<String> seen = new ArrayList<>();
      GetResponse first = ch.basicGet(q, false);
      seen.add(
          text(first)
              + " count="
              + first.getMessageCount()
              + " r="
              + first.getEnvelope().isRedeliver());
      ch.basicReject(first.getEnvelope().getDeliveryTag(), true);
      for (GetResponse r = ch.basicGet(q, true); r != null; r = ch.basicGet(q, true)) {
        seen.add(text(r) + " r=" + r.getEnvelope().isRedeliver());
      }
      record("order and redelivery", target, seen);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "warrenmq"})
  void rejectedMessageIsDeadLetteredWithXDeath(String target) throws Exception {
    try (Connection c = connect(target)) {
      Channel ch = c.createChannel();
      String dlx = unique("dlx");
      ch.exchangeDeclare(dlx, "fanout", false, true, null);
      String dlq = ch.queueDeclare().getQueue();
      ch.queueBind(dlq, dlx, "");
      String q = unique("work");
      ch.queueDeclare(q, false, true, true, Map.of("x-dead-letter-exchange", dlx));
      ch.basicPublish("", q, null, "poison".getBytes(StandardCharsets.UTF_8));
      GetResponse r = ch.basicGet(q, false);
      ch.basicReject(r.getEnvelope().getDeliveryTag(), false);
      GetResponse dead = null;
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          dead == null && System.nanoTime() < deadline; ) {
        dead = ch.basicGet(dlq, true);
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> deaths =
          (List<Map<String, Object>>) dead.getProps().getHeaders().get("x-death");
      Map<String, Object> death = deaths.get(0);
      Map<String, String> normalized = new TreeMap<>();
      death.forEach(
          (k, v) ->
              normalized.put(
                  k,
                  switch (k) {
                    case "queue" -> v.toString().equals(q) ? "<queue>" : v.toString();
                    case "time" -> "<time>";
                    case "routing-keys" -> ((List<?>) v).size() + " key(s)";
                    default -> String.valueOf(v);
                  }));
      record("x-death", target, List.of(deaths.size(), normalized, text(dead)));
    }
  }

  private static String text(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  private static final String REPLY_TO = "amq.rabbitmq.reply-to";

  /** A channel-close reason as "code text class.method", the reply name replaced. */
  private static String reason(ShutdownSignalException s, String replyName) {
    AMQP.Channel.Close c = (AMQP.Channel.Close) s.getReason();
    String text = replyName == null ? c.getReplyText() : c.getReplyText().replace(replyName, "<n>");
    return c.getReplyCode() + " " + text + " " + c.getClassId() + "." + c.getMethodId();
  }

  /** Runs a call that the broker answers with channel.close, and returns the close's reason. */
  private static String closedBy(Channel ch, String replyName, ChannelCall call) throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    String[] out = new String[1];
    ch.addShutdownListener(
        s -> {
          out[0] = reason(s, replyName);
          closed.countDown();
        });
    try {
      call.run();
    } catch (IOException e) {
      // a synchronous method: the close is its answer; the listener has it too
    }
    assertTrue(closed.await(10, TimeUnit.SECONDS), "channel closed");
    return out[0];
  }

  private interface ChannelCall {
    void run() throws IOException;
  }

  private static AMQP.BasicProperties replyTo(String name) {
    return new AMQP.BasicProperties.Builder().replyTo(name).correlationId("c-1").build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "warrenmq"})
  void directReplyToRoundTripAgrees(String target) throws Exception {
    try (Connection c = connect(target)) {
      List<Object> outcome = new ArrayList<>();
      Channel requester = c.createChannel();
      Channel responder = c.createChannel();
      String requests = responder.queueDeclare().getQueue();
      BlockingQueue<Map.Entry<String, Delivery>> replies = new LinkedBlockingQueue<>();
      String tag =
          requester.basicConsume(REPLY_TO, true, (t, d) -> replies.add(Map.entry(t, d)), t -> {});
      BlockingQueue<Return> returns = new LinkedBlockingQueue<>();
      responder.addReturnListener(returns::add);

      requester.basicPublish("", requests, replyTo(REPLY_TO), "request".getBytes());
      GetResponse request = null;
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          request == null && System.nanoTime() < deadline; ) {
        request = responder.basicGet(requests, true);
      }
      String name = request.getProps().getReplyTo();
      outcome.add("rewritten=" + (name.startsWith(REPLY_TO + ".") && name.length() > 30));
      AMQP.Queue.DeclareOk live = responder.queueDeclarePassive(name);
      outcome.add("declare " + live.getMessageCount() + "/" + live.getConsumerCount());

      responder.basicPublish(
          "",
          name,
          new AMQP.BasicProperties.Builder().correlationId("c-1").build(),
          "r1".getBytes());
      responder.basicPublish("", name, true, null, "r2-mandatory".getBytes());
      responder.basicPublish("amq.direct", name, true, null, "r3-other-exchange".getBytes());
      responder.basicPublish("", name, null, "r4".getBytes());
      for (int i = 0; i < 3; i++) {
        Map.Entry<String, Delivery> reply = replies.poll(10, TimeUnit.SECONDS);
        Delivery d = reply.getValue();
        Envelope e = d.getEnvelope();
        outcome.add(
            List.of(
                new String(d.getBody(), StandardCharsets.UTF_8),
                "tag " + e.getDeliveryTag(),
                "own consumer " + tag.equals(reply.getKey()),
                "redelivered " + e.isRedeliver(),
                "exchange '" + e.getExchange() + "'",
                "routing key is the name " + name.equals(e.getRoutingKey()),
                "correlation " + d.getProperties().getCorrelationId()));
      }
      for (int i = 0; i < 2; i++) {
        Return r = returns.poll(10, TimeUnit.SECONDS);
        outcome.add(
            "returned "
                + r.getReplyCode()
                + " "
                + r.getReplyText()
                + " from '"
                + r.getExchange()
                + "': "
                + new String(r.getBody(), StandardCharsets.UTF_8));
      }

      requester.basicCancel(tag);
      responder.basicPublish("", name, null, "after-cancel".getBytes());
      Channel probe = c.createChannel();
      outcome.add(closedBy(probe, name, () -> probe.queueDeclarePassive(name)));
      outcome.add(
          closedBy(
              requester,
              null,
              () -> requester.basicPublish("", requests, replyTo(REPLY_TO), "again".getBytes())));
      outcome.add("late replies " + replies.size());
      record("direct reply-to round trip", target, outcome);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "warrenmq"})
  void directReplyToMisuseGivesTheSameErrors(String target) throws Exception {
    try (Connection c = connect(target)) {
      List<Object> outcome = new ArrayList<>();
      Channel acking = c.createChannel();
      outcome.add(
          closedBy(
              acking, null, () -> acking.basicConsume(REPLY_TO, false, (t, d) -> {}, t -> {})));
      Channel twice = c.createChannel();
      twice.basicConsume(REPLY_TO, true, (t, d) -> {}, t -> {});
      outcome.add(
          closedBy(twice, null, () -> twice.basicConsume(REPLY_TO, true, (t, d) -> {}, t -> {})));
      Channel noConsumer = c.createChannel();
      String q = noConsumer.queueDeclare().getQueue();
      outcome.add(
          closedBy(
              noConsumer, null, () -> noConsumer.basicPublish("", q, replyTo(REPLY_TO), null)));
      Channel consuming = c.createChannel();
      consuming.basicConsume(REPLY_TO, true, (t, d) -> {}, t -> {});
      Channel other = c.createChannel();
      outcome.add(closedBy(other, null, () -> other.basicPublish("", q, replyTo(REPLY_TO), null)));
      Channel declare = c.createChannel();
      AMQP.Queue.DeclareOk pseudo = declare.queueDeclare(REPLY_TO, false, false, false, null);
      outcome.add(
          "declare "
              + pseudo.getQueue()
              + " "
              + pseudo.getMessageCount()
              + "/"
              + pseudo.getConsumerCount());
      outcome.add(
          closedBy(
              declare,
              null,
              () -> declare.queueDeclare(REPLY_TO + ".garbage", false, false, false, null)));
      Channel get = c.createChannel();
      outcome.add(closedBy(get, null, () -> get.basicGet(REPLY_TO, true)));
      Channel consumeName = c.createChannel();
      outcome.add(
          closedBy(
              consumeName,
              null,
              () -> consumeName.basicConsume(REPLY_TO + ".foo", true, (t, d) -> {}, t -> {})));
      Channel unknown = c.createChannel();
      BlockingQueue<Return> returns = new LinkedBlockingQueue<>();
      unknown.addReturnListener(returns::add);
      unknown.basicPublish("", REPLY_TO + ".garbage", true, null, "x".getBytes());
      Return r = returns.poll(10, TimeUnit.SECONDS);
      outcome.add("unknown name: returned " + r.getReplyCode() + " " + r.getReplyText());
      outcome.add(
          "still open "
              + unknown.isOpen()
              + " "
              + q.equals(unknown.queueDeclarePassive(q).getQueue()));
      record("direct reply-to misuse", target, outcome);
    }
  }
}
