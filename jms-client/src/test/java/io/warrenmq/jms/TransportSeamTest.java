package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.jms.internal.InVmTransport;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JMS layer talks to its broker only through the transport SPI: over a second transport, a
 * decorator of the in-VM one that records each call, JMS operations are seen as the AMQP methods of
 * the JMS mapping (DESIGN.md), in order. Channel ch1 is the connection's declaration channel, ch2
 * the first session's.
 */
@Timeout(20)
class TransportSeamTest extends JmsTestSupport {

  private RecordingTransport transport;
  private WarrenConnectionFactory recorded;

  @BeforeEach
  void recordingFactory() {
    transport = new RecordingTransport(InVmTransport.of(broker));
    recorded = new WarrenConnectionFactory(transport, "/", 100);
  }

  @Test
  void sendReceiveAndAutoAcknowledgeAreBasicPublishConsumeAndAck() throws Exception {
    try (Connection c = recorded.createConnection()) {
      c.start();
      Session s = c.createSession();
      Queue orders = s.createQueue("orders");
      MessageProducer p = s.createProducer(orders);
      p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      MessageConsumer consumer = s.createConsumer(orders);
      p.send(s.createTextMessage("hello"));
      assertEquals("hello", ((TextMessage) consumer.receive(5_000)).getText());
    }

    assertEquals(
        List.of(
            "connect / user=null",
            "addCloseListener",
            "createChannel ch1",
            "createChannel ch2",
            "createChannel ch3",
            "close",
            "closed by client"),
        transport.connectionCalls());
    // a queue that exists is used as it is: the passive declare's 404 closes the topology
    // channel, and a new one (ch3, after the session's ch2) declares the absent queue
    assertEquals(
        List.of(
            "exchangeDeclare jms.queue direct",
            "exchangeDeclare jms.topic topic",
            "queueDeclarePassive orders"),
        transport.callsOf("ch1"));
    assertEquals(
        List.of(
            "queueDeclare orders durable {x-max-priority=9}",
            "queueBind orders jms.queue orders null"),
        transport.callsOf("ch3"));
    assertEquals(
        List.of(
            "basicQos 1048576 bytes 100",
            "basicConsume orders null",
            "basicPublish jms.queue orders",
            "deliver ctag1 tag=1",
            "basicAck 1",
            "basicCancel ctag1",
            "close"),
        transport.callsOf("ch2"));
  }

  @Test
  void aPersistentSendWaitsForThePublisherConfirm() throws Exception {
    try (Connection c = recorded.createConnection()) {
      Session s = c.createSession();
      MessageProducer p = s.createProducer(s.createQueue("orders"));
      p.send(s.createTextMessage("kept"));
      CountDownLatch completed = new CountDownLatch(1);
      p.send(
          s.createTextMessage("kept too"),
          new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
              completed.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {}
          });
      assertTrue(completed.await(10, TimeUnit.SECONDS), "asynchronous send completed");
      // the listener ran after the broker's confirm of the second publish
      assertTrue(transport.callsOf("ch2").contains("confirm ack 2"), transport.calls().toString());
    }
    List<String> ch2 =
        transport.callsOf("ch2").stream()
            .filter(line -> !line.startsWith("confirm "))
            .collect(Collectors.toList());
    // a session that only sends sets no prefetch: basic.qos comes with its first consumer
    assertEquals(
        List.of(
            "confirmSelect",
            "addConfirmListener",
            "basicPublish jms.queue orders",
            "waitForConfirms",
            "basicPublish jms.queue orders",
            "close"),
        ch2);
  }

  @Test
  void aTransactedSessionIsTxSelectAndCommitOrRollbackOnItsChannel() throws Exception {
    try (Connection c = recorded.createConnection()) {
      c.start();
      Session s = c.createSession(true, Session.SESSION_TRANSACTED);
      Queue orders = s.createQueue("orders");
      MessageConsumer consumer = s.createConsumer(orders);
      s.createProducer(orders).send(s.createTextMessage("one"));
      s.commit();
      consumer.receive(5_000);
      s.rollback();
      consumer.receive(5_000);
      s.commit();
    }
    assertEquals(
        List.of(
            "txSelect",
            "basicQos 1048576 bytes 100",
            "basicConsume orders null",
            "basicPublish jms.queue orders",
            "txCommit",
            "deliver ctag1 tag=1",
            // rollback: the receive's ack is not sent; the message is requeued, redelivered
            "txRollback",
            "basicReject 1 requeue",
            "txCommit",
            "deliver ctag1 tag=2 redelivered",
            "basicAck 2",
            "txCommit",
            "basicCancel ctag1",
            "close"),
        transport.callsOf("ch2"));
  }

  @Test
  void aFactoryWithARedeliveryDelayHasItsConsumersPassItAndARolledBackMessageWaitsThatLong()
      throws Exception {
    long delayMs = 300;
    WarrenConnectionFactory delayed = recorded.withRedeliveryDelay(delayMs);
    assertEquals(0, recorded.redeliveryDelayMs(), "the original factory is unchanged");
    assertEquals(delayMs, delayed.redeliveryDelayMs());
    long rolledBack;
    long redelivered;
    try (Connection c = delayed.createConnection()) {
      c.start();
      Session s = c.createSession(true, Session.SESSION_TRANSACTED);
      Queue orders = s.createQueue("orders");
      MessageConsumer consumer = s.createConsumer(orders, "JMSPriority >= 0");
      s.createProducer(orders).send(s.createTextMessage("one"));
      s.commit();
      assertTrue(consumer.receive(5_000) != null);
      rolledBack = System.nanoTime();
      s.rollback();
      Message again = consumer.receive(10_000);
      redelivered = System.nanoTime();
      assertTrue(again != null && again.getJMSRedelivered(), "redelivered after the rollback");
      assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
      s.commit();
    }
    assertEquals(
        "basicConsume orders {x-jms-selector=JMSPriority >= 0, x-redelivery-delay=300}",
        transport.callsOf("ch2").stream()
            .filter(line -> line.startsWith("basicConsume"))
            .findFirst()
            .orElseThrow());
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(redelivered - rolledBack);
    assertTrue(waitedMs >= delayMs, "redelivered " + waitedMs + " ms after the rollback");
  }

  @Test
  void aNegativeRedeliveryDelayIsRefusedNamingTheSetting() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> recorded.withRedeliveryDelay(-1));
    assertTrue(e.getMessage().contains("redeliveryDelay"), e.getMessage());
  }

  @Test
  void closingAConsumerCancelsItAndReleasesItsUnseenMessages() throws Exception {
    try (Connection c = recorded.createConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("prefetched");
      MessageProducer p = s.createProducer(q);
      p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      MessageConsumer consumer = s.createConsumer(q);
      p.send(s.createTextMessage("a"));
      p.send(s.createTextMessage("b"));
      // the connection is not started: both stay in the consumer's buffer, unseen
      await(() -> transport.callsOf("ch2").contains("deliver ctag1 tag=2"));
      transport.clear();
      consumer.close();
      assertEquals(
          List.of("basicCancel ctag1", "basicRelease 1", "basicRelease 2"),
          transport.callsOf("ch2"));
    }
  }

  @Test
  void aTopicSubscriberHasItsOwnQueueBoundToTheTopicExchange() throws Exception {
    try (Connection c = recorded.createConnection()) {
      Session s = c.createSession();
      Topic prices = s.createTopic("prices.eu");
      s.createConsumer(prices, "amount > 10");
      MessageProducer p = s.createProducer(prices);
      p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      p.send(s.createTextMessage("tick"));
    }
    List<String> ch1 =
        transport.callsOf("ch1").stream()
            .map(line -> line.replaceAll("jms\\.nd\\.[0-9a-f-]{36}", "jms.nd.<uuid>"))
            .collect(Collectors.toList());
    assertEquals(
        List.of(
            "exchangeDeclare jms.queue direct",
            "exchangeDeclare jms.topic topic",
            "queueDeclare jms.nd.<uuid> exclusive autoDelete {}",
            "queueBind jms.nd.<uuid> jms.topic prices.eu {x-jms-selector=amount > 10}"),
        ch1);
    List<String> ch2 = transport.callsOf("ch2");
    assertTrue(
        ch2.get(1).matches("basicConsume jms\\.nd\\.[0-9a-f-]{36} null"),
        "the selector is on the binding, not the consumer: " + ch2);
    assertEquals("basicPublish jms.topic prices.eu", ch2.get(2));
  }

  @Test
  void aBrokerRefusalFromTheTransportBecomesTheJmsExceptionOfItsReplyCode() throws Exception {
    try (Connection c = recorded.createConnection()) {
      Session s = c.createSession();
      MessageProducer p = s.createProducer(s.createQueue("orders"));
      p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      AmqpException refusal =
          new AmqpException(ReplyCode.NOT_FOUND, "no exchange 'jms.queue' in vhost '/'");
      transport.failNext("basicPublish", refusal);
      InvalidDestinationException e =
          assertThrows(
              InvalidDestinationException.class, () -> p.send(s.createTextMessage("lost")));
      assertEquals("404", e.getErrorCode());
      assertSame(refusal, e.getCause());
      assertTrue(
          e.getMessage().startsWith("cannot send to queue://orders: NOT_FOUND"), e.getMessage());
    }
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  @Test
  void confirmsThatArriveAsMultipleAcksCompleteEveryCoveredSendInSendOrder() throws Exception {
    transport.coalesceConfirms(10);
    List<String> completed = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Connection c = recorded.createConnection()) {
      Session s = c.createSession();
      MessageProducer p = s.createProducer(s.createQueue("coalesced"));
      jakarta.jms.CompletionListener listener =
          new jakarta.jms.CompletionListener() {
            @Override
            public void onCompletion(jakarta.jms.Message message) {
              try {
                completed.add(((TextMessage) message).getText());
              } catch (jakarta.jms.JMSException e) {
                throw new AssertionError(e);
              }
            }

            @Override
            public void onException(jakarta.jms.Message message, Exception exception) {
              completed.add("failed");
            }
          };
      for (int i = 1; i <= 30; i++) {
        p.send(s.createTextMessage("m" + i), listener);
      }
      s.close(); // waits for the completion listeners
    }
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      expected.add("m" + i);
    }
    assertEquals(expected, completed, "three multiple acks complete all 30 sends, in order");
  }

  // --- XA sessions: the channel of a closed XA session that only sent serves the next one

  /** One transaction as the resource adapter runs a producer's: the session closed before end. */
  private static void sendInABranch(WarrenConnection c, String text, int timeoutSeconds)
      throws Exception {
    WarrenXASession xa = c.createXASession();
    javax.transaction.xa.XAResource r = xa.getXAResource();
    javax.transaction.xa.Xid xid = XaSessionTest.xid(); // a fresh one each call
    if (timeoutSeconds >= 0) {
      r.setTransactionTimeout(timeoutSeconds);
    }
    r.start(xid, javax.transaction.xa.XAResource.TMNOFLAGS);
    Session s = xa.getSession();
    s.createProducer(s.createQueue("xa-orders")).send(s.createTextMessage(text));
    xa.close(); // deferred until end, as a container closes the handle's session first
    r.end(xid, javax.transaction.xa.XAResource.TMSUCCESS);
    r.commit(xid, true);
  }

  @Test
  void aClosedXaSessionThatOnlySentHandsItsChannelToTheNextXaSession() throws Exception {
    try (WarrenConnection c = (WarrenConnection) recorded.createXAConnection()) {
      sendInABranch(c, "one", -1);
      sendInABranch(c, "two", -1);
      sendInABranch(c, "three", -1);
    }
    // ch1 is the topology channel (closed by the 404 of the first passive declare of xa-orders,
    // ch3 replaces it); every XA session's work is on ch2, never closed in between
    assertEquals(
        List.of(
            "createChannel ch1",
            "createChannel ch2",
            "createChannel ch3",
            "close",
            "closed by client"),
        transport.connectionCalls().stream()
            .filter(line -> !line.equals("addCloseListener") && !line.startsWith("connect "))
            .collect(Collectors.toList()));
    List<String> oneTransaction =
        List.of(
            "dtxSetTimeout 0",
            "dtxStart",
            "basicPublish jms.queue xa-orders",
            "dtxEnd flags 4000000",
            "dtxCommit onePhase");
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      expected.addAll(oneTransaction);
    }
    // the closed session's commit goes on its channel, right behind the end (a pipelined end over
    // the wire), not to the connection's control channel
    assertEquals(expected, transport.callsOf("ch2"), "no basicQos, no close between sessions");
    assertEquals(
        0,
        transport.callsOf("ch3").stream().filter(line -> line.startsWith("dtx")).count(),
        transport.calls().toString());
    try (Connection c = factory.createConnection()) {
      c.start();
      Session s = c.createSession();
      MessageConsumer consumer = s.createConsumer(s.createQueue("xa-orders"));
      for (String text : List.of("one", "two", "three")) {
        assertEquals(text, ((TextMessage) consumer.receive(5_000)).getText());
      }
    }
  }

  @Test
  void aRecycledChannelStartsTheNextSessionsBranchesWithThatSessionsTimeout() throws Exception {
    try (WarrenConnection c = (WarrenConnection) recorded.createXAConnection()) {
      sendInABranch(c, "one", 30);
      sendInABranch(c, "two", -1); // never set: the broker's default, not the 30 s of the first
    }
    List<String> timeouts =
        transport.callsOf("ch2").stream()
            .filter(line -> line.startsWith("dtxSetTimeout"))
            .collect(Collectors.toList());
    assertEquals(List.of("dtxSetTimeout 30", "dtxSetTimeout 0"), timeouts);
  }

  @Test
  void anXaSessionThatConsumedClosesItsChannelAndTheNextXaSessionOpensItsOwn() throws Exception {
    try (WarrenConnection c = (WarrenConnection) recorded.createXAConnection()) {
      WarrenXASession consuming = c.createXASession();
      consuming.getSession().createConsumer(consuming.getSession().createQueue("xa-orders"));
      consuming.close();
      sendInABranch(c, "after", -1);
    }
    assertEquals(
        List.of(
            "basicQos 1048576 bytes 100",
            "basicConsume xa-orders null",
            "basicCancel ctag1",
            "close"),
        transport.callsOf("ch2"));
    // ch3 is the topology channel that replaced ch1 after its 404; the next XA session opens ch4
    assertEquals(
        List.of(
            "dtxSetTimeout 0",
            "dtxStart",
            "basicPublish jms.queue xa-orders",
            "dtxEnd flags 4000000",
            "dtxCommit onePhase"),
        transport.callsOf("ch4"),
        transport.calls().toString());
  }
}
