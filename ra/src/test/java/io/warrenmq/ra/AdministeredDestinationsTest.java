package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The administered objects {@link WarrenAdminQueue} and {@link WarrenAdminTopic} (Jakarta
 * Connectors 2.1, 13.4.2.3): JavaBeans configured by their {@code name} property.
 */
class AdministeredDestinationsTest {

  private static WarrenAdminQueue queue(String name) {
    WarrenAdminQueue q = new WarrenAdminQueue();
    q.setName(name);
    return q;
  }

  private static WarrenAdminTopic topic(String name) {
    WarrenAdminTopic t = new WarrenAdminTopic();
    t.setName(name);
    return t;
  }

  @Test
  void theNamePropertyIsTheJmsNameAndThePhysicalName() throws Exception {
    WarrenAdminQueue q = queue("orders");
    WarrenAdminTopic t = topic("order-events");
    assertEquals("orders", q.getQueueName());
    assertEquals("orders", q.physicalName());
    assertFalse(q.isTopic());
    assertEquals("queue://orders", q.toString());
    assertEquals("order-events", t.getTopicName());
    assertEquals("order-events", t.physicalName());
    assertTrue(t.isTopic());
    assertEquals("topic://order-events", t.toString());
  }

  @Test
  void objectsAreEqualByKindAndName() {
    assertEquals(queue("a"), queue("a"));
    assertEquals(queue("a").hashCode(), queue("a").hashCode());
    assertNotEquals(queue("a"), queue("b"));
    assertNotEquals(queue("a"), topic("a"), "a queue is never a topic of the same name");
    assertEquals(topic("a"), topic("a"));
  }

  @Test
  void anUnsetNameIsRefusedWhereTheDestinationIsUsed() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new WarrenAdminTopic().physicalName());
    assertTrue(e.getMessage().contains("'name'"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> queue("").physicalName());
  }
}
