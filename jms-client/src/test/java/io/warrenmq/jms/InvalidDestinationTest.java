package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class InvalidDestinationTest extends JmsTestSupport {

  /** A queue of another provider. */
  private static final class ForeignQueue implements Queue {
    @Override
    public String getQueueName() {
      return "foreign";
    }
  }

  @Test
  void sendingToAForeignDestinationThrowsInvalidDestinationNamingItsClass() throws Exception {
    try (Connection c = factory.createConnection()) {
      Session s = c.createSession();
      MessageProducer anonymous = s.createProducer(null);
      InvalidDestinationException e =
          assertThrows(
              InvalidDestinationException.class,
              () -> anonymous.send(new ForeignQueue(), s.createTextMessage("x")));
      assertTrue(e.getMessage().contains(ForeignQueue.class.getName()), e.getMessage());
      assertThrows(InvalidDestinationException.class, () -> s.createProducer(new ForeignQueue()));
      assertThrows(InvalidDestinationException.class, () -> s.createConsumer(new ForeignQueue()));
    }
  }

  @Test
  void aNullDestinationForAConsumerIsInvalid() throws Exception {
    try (Connection c = factory.createConnection()) {
      Session s = c.createSession();
      assertThrows(InvalidDestinationException.class, () -> s.createConsumer(null));
    }
  }
}
