package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Automatic reconnection against a real RabbitMQ at 127.0.0.1:5672 (guest/guest), skipped with a
 * message when none listens: the connection is cut under the client by a {@link TcpProxy}, and
 * RabbitMQ's strict rules apply to what the client does again (an exclusive client-ID queue claimed
 * again, a consumer re-created under its old tag, and no settlement of a delivery tag the new
 * channel does not know, which RabbitMQ would answer with 406 PRECONDITION_FAILED).
 */
@Timeout(30)
class FailoverRabbitMqTest {

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
      System.out.println("FailoverRabbitMqTest: SKIPPED, no RabbitMQ at 127.0.0.1:5672");
    }
    Assumptions.assumeTrue(up, "no RabbitMQ at 127.0.0.1:5672");
  }

  @Test
  void aDurableSubscriptionResumesAndAStaleAcknowledgeSettlesNothing() throws Exception {
    try (TcpProxy proxy = new TcpProxy(5672)) {
      String clientId = "failover-" + UUID.randomUUID();
      Connection c =
          WarrenConnectionFactory.forUrl(
                  "amqp://guest:guest@127.0.0.1:"
                      + proxy.port()
                      + "?clientID="
                      + clientId
                      + "&reconnectAttempts=50&reconnectDelay=10&maxReconnectDelay=200")
              .createConnection();
      try {
        AtomicReference<JMSException> heard = new AtomicReference<>();
        c.setExceptionListener(heard::set);
        Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
        Topic t = s.createTopic("failover.rmq." + UUID.randomUUID());
        MessageConsumer sub = s.createDurableSubscriber(t, "sub");
        MessageProducer p = s.createProducer(t);
        c.start();
        p.send(s.createTextMessage("1"));
        Message one = sub.receive(5000);
        assertEquals("1", text(one));

        int before = proxy.accepted();
        proxy.cut();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proxy.accepted() <= before) {
          assertTrue(System.nanoTime() < deadline, "no reconnection");
          Thread.sleep(5);
        }
        one.acknowledge(); // stale: dropped, else RabbitMQ closes the channel (unknown tag)
        p.send(s.createTextMessage("2")); // after the reconnection

        Message again = sub.receive(5000);
        assertEquals("1", text(again));
        assertTrue(again.getJMSRedelivered());
        assertEquals("2", text(sub.receive(5000)));
        again.acknowledge();
        assertNull(sub.receive(200));
        assertNull(heard.get(), "no ExceptionListener call: the connection came back");
        sub.close();
        s.unsubscribe("sub");
      } finally {
        c.close();
      }
    }
  }

  private static String text(Message m) throws JMSException {
    return m == null ? null : ((TextMessage) m).getText();
  }
}
