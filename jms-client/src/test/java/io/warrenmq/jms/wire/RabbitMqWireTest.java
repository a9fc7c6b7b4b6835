package io.warrenmq.jms.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wire scenarios against a real RabbitMQ at 127.0.0.1:5672 (guest/guest), skipped with a
 * message when none listens; plus the errors for what RabbitMQ lacks: broker-side selectors, XA and
 * queue browsing fail at the call that needs them, naming the missing capability, and a closing
 * consumer's prefetched messages come back by reject with requeue (no {@code warrenmq.release}).
 */
class RabbitMqWireTest extends WireScenarios {

  @BeforeAll
  static void rabbitMqListens() {
    boolean up;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5672), 1_000);
      up = true;
    } catch (java.io.IOException e) {
      up = false;
    }
    if (!up) {
      System.out.println("RabbitMqWireTest: SKIPPED, no RabbitMQ at 127.0.0.1:5672");
    }
    Assumptions.assumeTrue(up, "no RabbitMQ at 127.0.0.1:5672");
  }

  @Override
  int automaticPrefetch() {
    return 100;
  }

  // no byte window on RabbitMQ: the 100 messages are all held, whatever their size

  @Override
  int heldOfLargeMessages() {
    return 5;
  }

  @Override
  String hostAndPort() {
    return "127.0.0.1:5672";
  }

  @Test
  void aSelectorConsumerFailsAtCreationNamingTheMissingCapability() throws Exception {
    try (Connection c = factory().createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      JMSException e =
          assertThrows(
              JMSException.class,
              () -> s.createConsumer(s.createQueue(unique("rmq.sel")), "colour = 'red'"));
      assertTrue(e.getMessage().contains("warrenmq.selectors"), e.getMessage());
      JMSException t =
          assertThrows(
              JMSException.class,
              () -> s.createConsumer(s.createTopic(unique("rmq.tsel")), "colour = 'red'"));
      assertTrue(t.getMessage().contains("warrenmq.selectors"), t.getMessage());
    }
  }

  @Test
  void anXaSessionFailsAtCreationNamingTheMissingCapability() throws Exception {
    try (jakarta.jms.XAConnection c = factory().createXAConnection()) {
      JMSException e = assertThrows(JMSException.class, c::createXASession);
      assertTrue(e.getMessage().contains("warrenmq.dtx"), e.getMessage());
    }
  }

  @Test
  void aQueueBrowserFailsAtCreationNamingTheMissingCapabilityAndConsumesNothing() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue(unique("rmq.browse"));
      s.createProducer(q).send(s.createTextMessage("still here"));
      JMSException e = assertThrows(JMSException.class, () -> s.createBrowser(q));
      assertTrue(e.getMessage().contains("warrenmq.browse"), e.getMessage());
      assertEquals("540", e.getErrorCode());
      JMSException withSelector =
          assertThrows(JMSException.class, () -> s.createBrowser(q, "colour = 'red'"));
      assertTrue(withSelector.getMessage().contains("warrenmq.browse"), withSelector.getMessage());
      MessageConsumer consumer = s.createConsumer(q);
      assertEquals("still here", ((TextMessage) consumer.receive(10_000)).getText());
      consumer.close();
      deleteQueue(s, q);
    }
  }

  /**
   * Without {@code warrenmq.release} a closing consumer gives its prefetched messages back with
   * {@code basic.reject} and requeue: none is lost, but RabbitMQ marks them redelivered (README,
   * "Standalone JMS and JNDI").
   */
  @Test
  void prefetchedMessagesOfAClosedConsumerComeBackByRejectMarkedRedelivered() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue(unique("rmq.release"));
      MessageProducer p = s.createProducer(q);
      for (int i = 0; i < 5; i++) {
        p.send(s.createTextMessage("m" + i));
      }
      MessageConsumer first = s.createConsumer(q);
      assertEquals("m0", ((TextMessage) first.receive(10_000)).getText());
      first.close();
      MessageConsumer second = s.createConsumer(q);
      for (int i = 1; i < 5; i++) {
        TextMessage m = (TextMessage) second.receive(10_000);
        assertEquals("m" + i, m.getText());
        assertTrue(m.getJMSRedelivered(), "RabbitMQ requeued it after a reject");
      }
      second.close();
      deleteQueue(s, q);
    }
  }

  @Test
  void aTransportBrowseFailsBeforeSendingAnythingAndTheQueueKeepsItsMessage() throws Exception {
    String queue = unique("rmq.transport-browse");
    try (io.warrenmq.jms.spi.TransportConnection tc =
        transport().connect(new io.warrenmq.jms.spi.ConnectionInfo("/", "guest", "guest", null))) {
      io.warrenmq.client.AmqpChannel ch = tc.createChannel();
      ch.queueDeclare(
          new io.warrenmq.client.QueueSpec(queue, false, false, false, java.util.Map.of()));
      ch.basicPublish("", queue, false, null, new byte[] {1});
      io.warrenmq.client.AmqpException e =
          assertThrows(io.warrenmq.client.AmqpException.class, () -> ch.queueBrowse(queue));
      assertEquals(io.warrenmq.client.ReplyCode.NOT_IMPLEMENTED, e.replyCode());
      assertTrue(e.getMessage().contains("warrenmq.browse"), e.getMessage());
      assertTrue(ch.isOpen(), "refused before anything was sent");
      assertEquals(1, ch.queueDelete(queue, false, false), "the message was not consumed");
    }
  }
}
