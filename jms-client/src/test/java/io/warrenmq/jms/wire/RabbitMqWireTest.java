package io.warrenmq.jms.wire;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wire scenarios against a real RabbitMQ at 127.0.0.1:5672 (guest/guest), skipped with a
 * message when none listens; plus the errors for what RabbitMQ lacks: broker-side selectors and XA
 * fail at the call that needs them, naming the missing capability.
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
}
