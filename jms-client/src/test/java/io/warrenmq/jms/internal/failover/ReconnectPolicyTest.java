package io.warrenmq.jms.internal.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.WarrenConnectionFactory;
import jakarta.jms.JMSException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

  @Test
  void theWaitDoublesFromReconnectDelayUpToMaxReconnectDelay() {
    ReconnectPolicy p = ReconnectPolicy.of(Map.of(), 2, "amqp://a,b");
    assertEquals(
        List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L),
        List.of(
            p.delayBefore(1),
            p.delayBefore(2),
            p.delayBefore(3),
            p.delayBefore(4),
            p.delayBefore(5),
            p.delayBefore(6),
            p.delayBefore(7),
            p.delayBefore(100)));
  }

  @Test
  void aListReconnectsTwentyTimesByDefaultAndOneBrokerNotAtAll() {
    ReconnectPolicy list = ReconnectPolicy.of(Map.of(), 2, "amqp://a,b");
    assertEquals(20, list.attempts());
    assertTrue(list.allows(20));
    assertFalse(list.allows(21));
    assertFalse(ReconnectPolicy.of(Map.of(), 1, "amqp://a").enabled());
    ReconnectPolicy forever = ReconnectPolicy.of(Map.of("reconnectAttempts", "-1"), 1, "amqp://a");
    assertTrue(forever.enabled() && forever.allows(Integer.MAX_VALUE));
  }

  @Test
  void aBadOptionIsNamedWithoutThePassword() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ReconnectPolicy.of(
                    Map.of("reconnectDelay", "soon"),
                    1,
                    "amqp://app:s3cret@a?reconnectDelay=soon"));
    assertTrue(e.getMessage().contains("option reconnectDelay"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ReconnectPolicy.of(
                    Map.of("reconnectDelay", "500", "maxReconnectDelay", "100"), 1, "amqp://a"));
    assertTrue(e.getMessage().contains("maxReconnectDelay"), e.getMessage());
  }

  @Test
  void aListSplitsIntoOneUrlPerBrokerWithTheSameLoginPathAndOptions() {
    assertEquals(
        List.of(
            "amqp://app:p%40ss@h1:5672/orders?prefetch=5",
            "amqp://app:p%40ss@h2/orders?prefetch=5",
            "amqp://app:p%40ss@[::1]:5673/orders?prefetch=5"),
        BrokerList.split("amqp://app:p%40ss@h1:5672,h2,[::1]:5673/orders?prefetch=5"));
    assertEquals(List.of("amqps://h1"), BrokerList.split("amqps://h1"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BrokerList.split("amqp://u:pw@h1,,h2"));
    assertFalse(e.getMessage().contains(":pw@"), e.getMessage());
  }

  @Test
  void theFactoryRefusesABadListOptionNamingIt() {
    JMSException e =
        assertThrows(
            JMSException.class,
            () -> WarrenConnectionFactory.forUrl("amqp://u:pw@h1,h2?reconnectAttempts=-5"));
    assertTrue(e.getMessage().contains("reconnectAttempts"), e.getMessage());
    assertFalse(e.getMessage().contains(":pw@"), e.getMessage());
  }
}
