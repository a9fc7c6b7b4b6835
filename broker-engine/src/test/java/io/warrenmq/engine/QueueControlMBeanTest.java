package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The queue MBeans (ActiveMQ Artemis' QueueControl operations, issue 18 "Inside WildFly and
 * Payara"), driven only through the platform MBean server as JConsole would. An in-memory broker;
 * {@code QueueControlStorageTest} in persistence covers paged-out messages and restarts.
 */
@Timeout(30)
class QueueControlMBeanTest {
  private static final AtomicInteger BROKERS = new AtomicInteger();
  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
  private static final String[] STRING = {String.class.getName()};

  private Broker broker;
  private Connection conn;
  private Channel ch;

  @BeforeEach
  void start() {
    broker = new Broker(new BrokerConfig("jmx-" + BROKERS.incrementAndGet(), 2).withJmx(true));
    conn = broker.newConnection("/", null);
    ch = conn.createChannel();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private ObjectName queueBean(String queue) throws Exception {
    return new ObjectName(
        "io.warrenmq:type=Queue,broker="
            + ObjectName.quote(broker.name())
            + ",vhost="
            + ObjectName.quote("/")
            + ",name="
            + ObjectName.quote(queue));
  }

  private Object invoke(String queue, String op, Object... args) throws Exception {
    String[] sig = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      sig[i] = String.class.getName();
    }
    try {
      return SERVER.invoke(queueBean(queue), op, args, sig);
    } catch (RuntimeMBeanException e) {
      throw e.getTargetException();
    }
  }

  private Object attribute(String queue, String name) throws Exception {
    return SERVER.getAttribute(queueBean(queue), name);
  }

  private static BasicProperties colour(String colour, int n) {
    return BasicProperties.builder()
        .headers(Map.of("colour", colour, "n", n))
        .messageId("m" + n)
        .timestamp(1_700_000_000_000L + n)
        .priority(n % 10)
        .build();
  }

  /** Publishes n messages to q: even ones red, odd ones blue, body "0".."n-1". */
  private void publishColours(String queue, int n) {
    for (int i = 0; i < n; i++) {
      ch.basicPublish("", queue, false, colour(i % 2 == 0 ? "red" : "blue", i), bytes("" + i));
    }
  }

  private List<String> drainBodies(String queue) {
    List<String> out = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet(queue, true)) != null) {
      out.add(TestSupport.text(r.delivery()));
    }
    return out;
  }

  @Test
  void attributesDescribeTheQueue() throws Exception {
    ch.queueDeclare(new QueueSpec("attrs", true, false, false, Map.of()));
    publishColours("attrs", 3);
    TestSupport.Recorder r = new TestSupport.Recorder();
    Channel consumer = conn.createChannel();
    consumer.basicQos(1, false);
    consumer.basicConsume("attrs", false, null, false, null, r);
    r.next();
    assertEquals("attrs", attribute("attrs", "Name"));
    assertEquals("/", attribute("attrs", "VirtualHost"));
    assertEquals(2L, attribute("attrs", "MessageCount"));
    assertEquals(1, attribute("attrs", "ConsumerCount"));
    assertEquals(1, attribute("attrs", "DeliveringCount"));
    assertEquals(true, attribute("attrs", "Durable"));
    assertEquals(false, attribute("attrs", "Exclusive"));
    assertEquals(false, attribute("attrs", "AutoDelete"));
    assertEquals(false, attribute("attrs", "Paused"));
  }

  @Test
  void countMessagesCountsAllOrThoseMatchingTheFilter() throws Exception {
    ch.queueDeclare(QueueSpec.durable("count"));
    publishColours("count", 7);
    assertEquals(7L, SERVER.invoke(queueBean("count"), "countMessages", null, null));
    assertEquals(4L, invoke("count", "countMessages", "colour = 'red'"));
    assertEquals(7L, invoke("count", "countMessages", ""));
    assertEquals(7L, invoke("count", "countMessages", (Object) null));
    assertEquals(2L, invoke("count", "countMessages", "n >= 5"));
  }

  @Test
  void listMessagesShowsEachMatchingMessageAsOpenData() throws Exception {
    ch.queueDeclare(QueueSpec.durable("list"));
    publishColours("list", 4);
    CompositeData[] rows = (CompositeData[]) invoke("list", "listMessages", "colour = 'blue'");
    assertEquals(2, rows.length);
    assertEquals("m1", rows[0].get("messageId"));
    assertEquals("m3", rows[1].get("messageId"));
    assertEquals(1L, rows[0].get("bodySize"));
    assertEquals(1, rows[0].get("priority"));
    assertEquals(1_700_000_000_001L, rows[0].get("timestamp"));
    assertEquals(false, rows[0].get("redelivered"));
    assertEquals("list", rows[0].get("routingKey"));
    QueueMessage m = QueueMessage.from(rows[0]);
    assertEquals("blue", m.getHeaders().get("colour"));
    assertEquals("1", m.getHeaders().get("n"));
  }

  @Test
  void removeMessagesWithAFilterLeavesTheOthersInOrder() throws Exception {
    ch.queueDeclare(QueueSpec.durable("remove"));
    publishColours("remove", 10);
    assertEquals(5, invoke("remove", "removeMessages", "colour = 'red'"));
    assertEquals(5L, attribute("remove", "MessageCount"));
    assertEquals(List.of("1", "3", "5", "7", "9"), drainBodies("remove"));
  }

  @Test
  void removeAllMessagesEmptiesTheQueueButLeavesUnackedOnes() throws Exception {
    ch.queueDeclare(QueueSpec.durable("removeAll"));
    publishColours("removeAll", 4);
    GetResponse unacked = ch.basicGet("removeAll", false);
    assertEquals(3, SERVER.invoke(queueBean("removeAll"), "removeAllMessages", null, null));
    assertEquals(0L, attribute("removeAll", "MessageCount"));
    ch.basicNack(unacked.delivery().deliveryTag(), false, true);
    assertEquals(List.of("0"), drainBodies("removeAll"));
  }

  @Test
  void moveMessagesMovesTheMatchingOnesInOrder() throws Exception {
    ch.queueDeclare(QueueSpec.durable("from"));
    ch.queueDeclare(QueueSpec.durable("to"));
    publishColours("from", 6);
    assertEquals(3, invoke("from", "moveMessages", "colour = 'blue'", "to"));
    assertEquals(List.of("1", "3", "5"), drainBodies("to"));
    assertEquals(List.of("0", "2", "4"), drainBodies("from"));
  }

  @Test
  void messagesTheDestinationRefusesStayInTheSourceInOrder() throws Exception {
    ch.queueDeclare(QueueSpec.durable("full-src"));
    ch.queueDeclare(
        new QueueSpec(
            "full", true, false, false, Map.of("x-max-length", 2, "x-overflow", "reject-publish")));
    publishColours("full-src", 5);
    assertEquals(2, invoke("full-src", "moveMessages", "", "full"));
    assertEquals(List.of("0", "1"), drainBodies("full"));
    assertEquals(List.of("2", "3", "4"), drainBodies("full-src"));
  }

  @Test
  void moveToItselfIsRefused() throws Exception {
    ch.queueDeclare(QueueSpec.durable("self"));
    publishColours("self", 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> invoke("self", "moveMessages", "", "self"));
    assertTrue(e.getMessage().contains("to itself"), e.getMessage());
    assertEquals(List.of("0", "1"), drainBodies("self"));
  }

  @Test
  void moveToAnUnknownQueueNamesItAndRemovesNothing() throws Exception {
    ch.queueDeclare(QueueSpec.durable("src"));
    publishColours("src", 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> invoke("src", "moveMessages", "", "nowhere"));
    assertTrue(e.getMessage().contains("'nowhere'"), e.getMessage());
    assertEquals(3L, attribute("src", "MessageCount"));
    assertEquals(List.of("0", "1", "2"), drainBodies("src"));
  }

  @Test
  void aBadFilterFailsNamingTheSelectorError() throws Exception {
    ch.queueDeclare(QueueSpec.durable("bad"));
    publishColours("bad", 2);
    for (String op : List.of("countMessages", "listMessages", "removeMessages")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> invoke("bad", op, "colour = = 'x"));
      assertTrue(e.getMessage().contains("invalid filter 'colour = = 'x'"), e.getMessage());
      assertTrue(e.getMessage().contains("not a JMS selector"), e.getMessage());
    }
    assertEquals(2L, attribute("bad", "MessageCount"));
  }

  @Test
  void retryMessagesReturnsTtlDeadLetteredMessagesToTheirQueue() throws Exception {
    ch.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
    ch.queueDeclare(QueueSpec.durable("dlq"));
    ch.queueBind("dlq", "dlx", "", null);
    ch.queueDeclare(
        new QueueSpec(
            "work",
            true,
            false,
            false,
            Map.of("x-dead-letter-exchange", "dlx", "x-message-ttl", 50)));
    ch.queueDeclare(QueueSpec.durable("plain"));
    ch.basicPublish("", "work", false, BasicProperties.EMPTY, bytes("a"));
    ch.basicPublish("", "work", false, BasicProperties.EMPTY, bytes("b"));
    // one without any origin: it stays in the DLQ
    ch.basicPublish("", "dlq", false, BasicProperties.EMPTY, bytes("orphan"));
    TestSupport.await(
        "both expired into the DLQ", () -> broker.virtualHost("/").queueMessageCount("dlq") == 3);
    assertEquals(2, SERVER.invoke(queueBean("dlq"), "retryMessages", null, null));
    assertEquals(List.of("orphan"), drainBodies("dlq"));
    // back in "work" (and, with its TTL, dead-lettered again later): read them right away
    ch.queueDeclare(QueueSpec.durable("work-copy"));
    assertEquals(2, invoke("work", "moveMessages", "", "work-copy"));
    assertEquals(List.of("a", "b"), drainBodies("work-copy"));
  }

  @Test
  void retryMessagesUsesTheAdaptersDeadLetterOriginProperty() throws Exception {
    ch.queueDeclare(QueueSpec.durable("DLQ"));
    ch.queueDeclare(QueueSpec.durable("orders"));
    BasicProperties p =
        BasicProperties.builder()
            .headers(Map.of("WarrenDeadLetterOrigin", "queue://orders"))
            .build();
    ch.basicPublish("", "DLQ", false, p, bytes("o1"));
    ch.basicPublish(
        "",
        "DLQ",
        false,
        BasicProperties.builder()
            .headers(Map.of("WarrenDeadLetterOrigin", "topic://prices"))
            .build(),
        bytes("t1"));
    assertEquals(1, SERVER.invoke(queueBean("DLQ"), "retryMessages", null, null));
    assertEquals(List.of("o1"), drainBodies("orders"));
    assertEquals(List.of("t1"), drainBodies("DLQ"));
  }

  @Test
  void pauseStopsDeliveriesAndResumeRestartsThem() throws Exception {
    ch.queueDeclare(QueueSpec.durable("p"));
    TestSupport.Recorder r = new TestSupport.Recorder();
    conn.createChannel().basicConsume("p", true, null, false, null, r);
    SERVER.invoke(queueBean("p"), "pause", null, null);
    assertEquals(true, attribute("p", "Paused"));
    ch.basicPublish("", "p", false, BasicProperties.EMPTY, bytes("held"));
    assertEquals(1L, attribute("p", "MessageCount"), "accepted while paused");
    assertNull(ch.basicGet("p", true), "basic.get gets nothing while paused");
    assertNull(r.deliveries.poll(200, TimeUnit.MILLISECONDS), "no delivery while paused");
    SERVER.invoke(queueBean("p"), "resume", null, null);
    assertEquals(false, attribute("p", "Paused"));
    Delivery d = r.next();
    assertEquals("held", TestSupport.text(d));
  }

  @Test
  void theBeanIsUnregisteredWhenTheQueueIsDeleted() throws Exception {
    ch.queueDeclare(QueueSpec.durable("gone"));
    assertTrue(SERVER.isRegistered(queueBean("gone")));
    ch.queueDelete("gone", false, false);
    assertFalse(SERVER.isRegistered(queueBean("gone")));
  }

  @Test
  void theBeansAreUnregisteredWhenTheBrokerCloses() throws Exception {
    ch.queueDeclare(QueueSpec.durable("q1"));
    ch.queueDeclare(new QueueSpec("q \"2\",*", false, false, false, Map.of()));
    ObjectName brokerBean =
        new ObjectName("io.warrenmq:type=Broker,name=" + ObjectName.quote(broker.name()));
    assertTrue(SERVER.isRegistered(queueBean("q \"2\",*")), "odd names are quoted");
    assertArrayEquals(
        new String[] {"q \"2\",*", "q1"},
        (String[]) SERVER.invoke(brokerBean, "listQueues", new Object[] {"/"}, STRING));
    broker.close();
    assertFalse(SERVER.isRegistered(queueBean("q1")));
    assertFalse(SERVER.isRegistered(queueBean("q \"2\",*")));
    assertFalse(SERVER.isRegistered(brokerBean));
  }

  @Test
  void aBrokerWithoutJmxRegistersNothing() throws Exception {
    try (Broker plain = new Broker(new BrokerConfig("nojmx-" + BROKERS.incrementAndGet(), 1))) {
      plain.newConnection("/", null).createChannel().queueDeclare(QueueSpec.durable("x"));
      assertTrue(
          SERVER
              .queryNames(
                  new ObjectName(
                      "io.warrenmq:type=Queue,broker=" + ObjectName.quote(plain.name()) + ",*"),
                  null)
              .isEmpty());
    }
    assertTrue(SERVER.isRegistered(brokerBeanOf()), "the JMX broker's own bean is unaffected");
  }

  private ObjectName brokerBeanOf() throws Exception {
    return new ObjectName("io.warrenmq:type=Broker,name=" + ObjectName.quote(broker.name()));
  }

  @Test
  void operationsShowUpInTheMBeanInfo() throws Exception {
    ch.queueDeclare(QueueSpec.durable("info"));
    var ops = SERVER.getMBeanInfo(queueBean("info")).getOperations();
    List<String> names = new ArrayList<>();
    for (var op : ops) {
      names.add(op.getName());
    }
    assertTrue(
        names.containsAll(
            List.of(
                "countMessages",
                "listMessages",
                "removeMessages",
                "removeAllMessages",
                "moveMessages",
                "retryMessages",
                "pause",
                "resume")),
        names.toString());
    assertEquals(
        "true",
        SERVER.getMBeanInfo(queueBean("info")).getDescriptor().getFieldValue("mxbean"),
        "an MXBean: open types only, readable without WarrenMQ's classes");
  }
}
