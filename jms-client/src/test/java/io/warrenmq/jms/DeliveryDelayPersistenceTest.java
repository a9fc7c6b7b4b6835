package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.internal.InVmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent message sent with a delivery delay (Jakarta Messaging 3.1, 7.9 "Delivery delay") is
 * kept by the store while it waits, so it survives a broker restart and is delivered when due; a
 * non-persistent one waits in memory only (issue 15, section 2).
 */
@Timeout(90)
class DeliveryDelayPersistenceTest {
  private static final String BROKER = "jms-delayed-durable";

  @TempDir Path dataDir;

  @AfterEach
  void stop() {
    InVmBrokers.stop(BROKER);
  }

  private WarrenConnectionFactory factory() throws JMSException {
    return WarrenConnectionFactory.forUrl("vm://" + BROKER + "?dataDir=" + dataDir);
  }

  @Test
  void aPersistentMessageWithADeliveryDelaySurvivesABrokerRestart() throws Exception {
    long sent;
    try (Connection c = factory().createConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("delayed-orders");
      s.createConsumer(q).close(); // the queue exists before the delayed message is routed
      MessageProducer p = s.createProducer(q);
      p.setDeliveryDelay(3_000);
      sent = System.currentTimeMillis();
      p.send(s.createTextMessage("later"));
      p.send(s.createTextMessage("transient later"), DeliveryMode.NON_PERSISTENT, 4, 0);
    }
    InVmBrokers.stop(BROKER); // before it is due
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession();
      MessageConsumer consumer = s.createConsumer(s.createQueue("delayed-orders"));
      TextMessage got = (TextMessage) consumer.receive(30_000);
      long at = System.currentTimeMillis();
      assertNotNull(got, "the persistent delayed message survived the restart");
      assertEquals("later", got.getText());
      assertEquals(DeliveryMode.PERSISTENT, got.getJMSDeliveryMode());
      assertTrue(at >= sent + 3_000, "delivered " + (at - sent) + " ms after the send");
      assertTrue(got.getJMSDeliveryTime() >= sent + 3_000, "JMSDeliveryTime kept");
      assertNull(consumer.receive(500), "the non-persistent delayed message is gone");
    }
  }
}
