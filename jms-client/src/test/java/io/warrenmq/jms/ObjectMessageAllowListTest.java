package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.internal.InVmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.awt.Point;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ObjectMessageAllowListTest extends JmsTestSupport {

  private ObjectMessage roundTrip(WarrenConnectionFactory cf, java.io.Serializable body)
      throws Exception {
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession();
      Queue q = s.createQueue("objects-" + body.getClass().getSimpleName());
      s.createProducer(q).send(s.createObjectMessage(body));
      return (ObjectMessage) s.createConsumer(q).receive(5_000);
    }
  }

  @Test
  void aClassOutsideTheDefaultAllowListIsRefusedNamingItAndTheKnob() throws Exception {
    ObjectMessage got = roundTrip(factory, new Point(1, 2));
    MessageFormatException e = assertThrows(MessageFormatException.class, got::getObject);
    assertTrue(e.getMessage().contains("java.awt.Point"), e.getMessage());
    assertTrue(e.getMessage().contains("deserializationAllowList"), e.getMessage());
  }

  @Test
  void jdkCollectionsAreAllowedByDefault() throws Exception {
    ObjectMessage got = roundTrip(factory, new java.util.ArrayList<>(List.of(1, 2)));
    assertEquals(List.of(1, 2), got.getObject());
  }

  @Test
  void aFactoryCanAllowMorePackages() throws Exception {
    ObjectMessage got =
        roundTrip(factory.withDeserializationAllowList(List.of("java.awt")), new Point(3, 4));
    assertEquals(new Point(3, 4), got.getObject());
  }

  @Test
  void theUrlOptionSetsTheAllowList() throws Exception {
    WarrenConnectionFactory cf =
        WarrenConnectionFactory.forUrl("vm://allow-list?deserializationAllowList=*");
    try {
      assertEquals(new Point(5, 6), roundTrip(cf, new Point(5, 6)).getObject());
    } finally {
      InVmBrokers.stop("allow-list");
    }
  }
}
