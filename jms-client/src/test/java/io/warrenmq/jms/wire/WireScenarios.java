package io.warrenmq.jms.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.jms.internal.wire.AmqpUrl;
import io.warrenmq.jms.internal.wire.WireTransport;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.TransportConnection;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.net.ServerSocket;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JMS scenarios that WarrenMQ's server and RabbitMQ both support, over the wire transport
 * ({@code amqp://}): each subclass names a broker. What only one of them does (persistence across a
 * WarrenMQ restart, selectors, XA; the capability errors of RabbitMQ) is in the subclass.
 */
@Timeout(60)
abstract class WireScenarios {

  /** {@code host:port} of the broker under test. */
  abstract String hostAndPort();

  String url(String userInfo) {
    return "amqp://" + userInfo + "@" + hostAndPort() + "/%2F";
  }

  WarrenConnectionFactory factory() throws JMSException {
    return WarrenConnectionFactory.forUrl(url("guest:guest"));
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  @Test
  void aMessageSentToAQueueIsReceivedWithItsBodyAndProperties() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue(unique("wire.q"));
      MessageConsumer consumer = s.createConsumer(q);
      TextMessage sent = s.createTextMessage("hello over the wire");
      sent.setStringProperty("colour", "blue");
      s.createProducer(q).send(sent);
      TextMessage got = (TextMessage) consumer.receive(10_000);
      assertNotNull(got);
      assertEquals("hello over the wire", got.getText());
      assertEquals("blue", got.getStringProperty("colour"));
      assertEquals(sent.getJMSMessageID(), got.getJMSMessageID());
      assertNull(consumer.receive(200), "exactly one message");
      s.createConsumer(q).close();
      deleteQueue(s, q);
    }
  }

  @Test
  void aLargeMessageIsSplitIntoBodyFramesAndArrivesWhole() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue(unique("wire.big"));
      MessageConsumer consumer = s.createConsumer(q);
      byte[] body = new byte[1_000_000]; // ~8 frames of 128 KiB
      for (int i = 0; i < body.length; i++) {
        body[i] = (byte) (i * 31);
      }
      jakarta.jms.BytesMessage m = s.createBytesMessage();
      m.writeBytes(body);
      s.createProducer(q).send(m);
      jakarta.jms.BytesMessage got = (jakarta.jms.BytesMessage) consumer.receive(10_000);
      assertNotNull(got);
      byte[] read = new byte[(int) got.getBodyLength()];
      got.readBytes(read);
      assertTrue(java.util.Arrays.equals(body, read), "body intact");
      deleteQueue(s, q);
    }
  }

  @Test
  void everySubscriberOfATopicGetsEachMessageAndAListenerIsCalled() throws Exception {
    try (Connection c = factory().createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Topic t = s.createTopic(unique("wire.t"));
      MessageConsumer sync = s.createConsumer(t);
      Session listenerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      CountDownLatch heard = new CountDownLatch(1);
      AtomicReference<String> text = new AtomicReference<>();
      listenerSession
          .createConsumer(t)
          .setMessageListener(
              m -> {
                try {
                  text.set(((TextMessage) m).getText());
                } catch (JMSException e) {
                  text.set(e.toString());
                }
                heard.countDown();
              });
      c.start();
      s.createProducer(t).send(s.createTextMessage("news"));
      TextMessage got = (TextMessage) sync.receive(10_000);
      assertNotNull(got);
      assertEquals("news", got.getText());
      assertTrue(heard.await(10, TimeUnit.SECONDS));
      assertEquals("news", text.get());
    }
  }

  @Test
  void aDurableSubscriptionKeepsMessagesWhileItsConsumerIsClosed() throws Exception {
    String clientId = unique("wire-client");
    String name = "sub";
    Topic t;
    try (Connection c = factory().createConnection()) {
      c.setClientID(clientId);
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      t = s.createTopic(unique("wire.durable"));
      s.createDurableSubscriber(t, name).close();
      MessageProducer p = s.createProducer(t);
      p.send(s.createTextMessage("while away 1"));
      p.send(s.createTextMessage("while away 2"));
    }
    try (Connection c = factory().createConnection()) {
      c.setClientID(clientId);
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer back = s.createDurableSubscriber(t, name);
      assertEquals("while away 1", ((TextMessage) back.receive(10_000)).getText());
      assertEquals("while away 2", ((TextMessage) back.receive(10_000)).getText());
      back.close();
      s.unsubscribe(name);
    }
  }

  @Test
  void aClientIdIsHeldByOneConnectionAtATime() throws Exception {
    String clientId = unique("wire-id");
    try (Connection first = factory().createConnection()) {
      first.setClientID(clientId);
      try (Connection second = factory().createConnection()) {
        assertThrows(
            jakarta.jms.InvalidClientIDException.class, () -> second.setClientID(clientId));
      }
    }
    try (Connection later = factory().createConnection()) {
      later.setClientID(clientId); // released by the close
    }
  }

  @Test
  void aTransactedSessionPublishesOnCommitAndRedeliversOnRollback() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
      Queue q = tx.createQueue(unique("wire.tx"));
      MessageConsumer consumer = tx.createConsumer(q);
      MessageProducer p = tx.createProducer(q);
      p.send(tx.createTextMessage("one"));
      assertNull(consumer.receive(300), "invisible before commit");
      tx.commit();
      TextMessage got = (TextMessage) consumer.receive(10_000);
      assertEquals("one", got.getText());
      assertFalse(got.getJMSRedelivered());
      tx.rollback();
      TextMessage again = (TextMessage) consumer.receive(10_000);
      assertNotNull(again, "rolled back receive comes again");
      assertEquals("one", again.getText());
      assertTrue(again.getJMSRedelivered());
      tx.commit();
      assertNull(consumer.receive(300), "acknowledged by the commit");
      deleteQueue(c.createSession(false, Session.AUTO_ACKNOWLEDGE), q);
    }
  }

  @Test
  void aWrongPasswordFailsWithJMSSecurityExceptionNamingTheUserButNotThePassword()
      throws Exception {
    WarrenConnectionFactory f = WarrenConnectionFactory.forUrl(url("guest:s3cr3t-wrong"));
    JMSSecurityException e = assertThrows(JMSSecurityException.class, f::createConnection);
    assertTrue(e.getMessage().contains("'guest'"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t-wrong"), e.getMessage());
    JMSSecurityException e2 =
        assertThrows(
            JMSSecurityException.class, () -> factory().createConnection("nobody", "s3cr3t"));
    assertTrue(e2.getMessage().contains("'nobody'"), e2.getMessage());
    assertFalse(e2.getMessage().contains("s3cr3t"), e2.getMessage());
  }

  @Test
  @Timeout(20)
  void anUnreachablePortFailsWithinSecondsNamingTheUrlWithoutThePassword() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort(); // free once closed: nobody listens
    }
    WarrenConnectionFactory f =
        WarrenConnectionFactory.forUrl("amqp://guest:pa55word@127.0.0.1:" + closed + "/");
    long start = System.nanoTime();
    JMSException e = assertThrows(JMSException.class, f::createConnection);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms < 5_000, "failed after " + ms + " ms");
    assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
    assertFalse(e.getMessage().contains("pa55word"), e.getMessage());
    assertFalse(f.toString().contains("pa55word"), f.toString());
  }

  @Test
  void aVirtualHostThatDoesNotExistFailsNamingItButNotThePassword() throws Exception {
    WarrenConnectionFactory f =
        WarrenConnectionFactory.forUrl(
            "amqp://guest:guest-pw@" + hostAndPort() + "/no-such-vhost-" + UUID.randomUUID());
    JMSException e = assertThrows(JMSException.class, f::createConnection);
    assertTrue(e.getMessage().contains("no-such-vhost"), e.getMessage());
    assertFalse(e.getMessage().contains("guest-pw"), e.getMessage());
  }

  @Test
  void aPersistentSendReturnsAfterTheBrokerConfirmedIt() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue(unique("wire.persistent"));
      MessageProducer p = s.createProducer(q);
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      for (int i = 0; i < 20; i++) {
        p.send(s.createTextMessage("m" + i));
      }
      MessageConsumer consumer = s.createConsumer(q);
      for (int i = 0; i < 20; i++) {
        Message m = consumer.receive(10_000);
        assertInstanceOf(TextMessage.class, m);
        assertEquals("m" + i, ((TextMessage) m).getText());
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
      }
      consumer.close();
      deleteQueue(s, q);
    }
  }

  /**
   * How many 1-byte messages a consumer of a URL without {@code prefetch} holds: 1,000 on a broker
   * with byte windows, 100 on one without (RabbitMQ).
   */
  abstract int automaticPrefetch();

  /**
   * How many 400,000-byte messages a consumer of a URL without {@code prefetchSize} holds: 2 in the
   * default 1 MiB window on a broker with byte windows; on one without (RabbitMQ), the count.
   */
  abstract int heldOfLargeMessages();

  /**
   * The consumer's window (basic.qos) when the URL sets neither {@code prefetch} nor {@code
   * prefetchSize}: what the broker keeps ready while a consumer holds its window unread.
   */
  @Test
  void aConsumerWithTheDefaultWindowHoldsWhatTheBrokerAllows() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue small = s.createQueue(unique("window.small"));
      Queue large = s.createQueue(unique("window.large"));
      MessageProducer p = s.createProducer(null);
      p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      int smallCount = automaticPrefetch() + 50;
      for (int i = 0; i < smallCount; i++) {
        jakarta.jms.BytesMessage m = s.createBytesMessage();
        m.writeByte((byte) i);
        p.send(small, m);
      }
      for (int i = 0; i < 5; i++) {
        jakarta.jms.BytesMessage m = s.createBytesMessage();
        m.writeBytes(new byte[400_000]);
        p.send(large, m);
      }
      Session other = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer smallConsumer = other.createConsumer(small);
      Session third = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer largeConsumer = third.createConsumer(large);
      assertEquals(50, readySettled(small.getQueueName(), 50), "ready beside the window");
      assertEquals(
          5 - heldOfLargeMessages(), readySettled(large.getQueueName(), 5 - heldOfLargeMessages()));
      assertNotNull(smallConsumer.receive(10_000));
      assertNotNull(largeConsumer.receive(10_000));
      smallConsumer.close();
      largeConsumer.close();
      deleteQueue(s, small);
      deleteQueue(s, large);
    }
  }

  /**
   * The queue's ready count once it has reached {@code expected} (the consumer's basic.qos and the
   * deliveries travel asynchronously) and stayed there for 300 ms; what it is after 10 s if never.
   */
  private int readySettled(String queue, int expected) throws Exception {
    try (TransportConnection tc =
        transport().connect(new ConnectionInfo("/", "guest", "guest", null))) {
      io.warrenmq.client.AmqpChannel ch = tc.createChannel();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      int ready = ch.queueDeclarePassive(queue).messageCount();
      while (ready != expected && System.nanoTime() < deadline) {
        Thread.sleep(20);
        ready = ch.queueDeclarePassive(queue).messageCount();
      }
      Thread.sleep(300); // no more deliveries beyond the window
      return ch.queueDeclarePassive(queue).messageCount();
    }
  }

  /** Leaves no queue behind on a shared broker: queue.delete through the transport SPI. */
  void deleteQueue(Session s, Queue q) throws JMSException {
    try (TransportConnection tc =
        transport().connect(new ConnectionInfo("/", "guest", "guest", null))) {
      tc.createChannel().queueDelete(q.getQueueName(), false, false);
    }
  }

  WireTransport transport() {
    return WireTransport.of(AmqpUrl.parse(url("guest:guest")));
  }
}
