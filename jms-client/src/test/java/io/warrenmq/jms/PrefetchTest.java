package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The consumer window a session asks for ({@code basic.qos}, AMQP 0-9-1 1.8.3.1): the URL options
 * {@code prefetch} and {@code prefetchSize}, and what goes to brokers with and without byte windows
 * (capability {@code warrenmq.prefetch_size}).
 */
class PrefetchTest {
  @Test
  void withoutOptionsAWireUrlGetsTheAutomaticCountAndAOneMebibyteWindow() throws Exception {
    Prefetch p = Prefetch.fromUrlOptions(Map.of(), "amqp://h", 0);
    assertEquals(1000, p.messagesFor(true));
    assertEquals(1L << 20, p.bytesFor(true));
    assertEquals(100, p.messagesFor(false), "RabbitMQ: no byte window to bound 1,000");
    assertEquals(0, p.bytesFor(false), "RabbitMQ would close the connection with 540");
  }

  @Test
  void aConfiguredCountIsSentAsItIsToEveryBroker() throws Exception {
    Prefetch p = Prefetch.fromUrlOptions(Map.of("prefetch", "7", "prefetchSize", "0"), "u", 0);
    assertEquals(7, p.messagesFor(true));
    assertEquals(7, p.messagesFor(false));
    assertEquals(0, p.bytesFor(true), "0: no byte window");
  }

  @Test
  void theLargestPrefetchSizeIsTheFieldsUnsigned32Bits() throws Exception {
    Prefetch p = Prefetch.fromUrlOptions(Map.of("prefetchSize", "4294967295"), "u", 0);
    assertEquals(4294967295L, p.bytesFor(true));
  }

  @Test
  void anInvalidPrefetchSizeNamesTheOptionTheUrlAndTheValueButNotThePassword() {
    JMSException e =
        assertThrows(
            JMSException.class,
            () -> WarrenConnectionFactory.forUrl("amqp://u:s3cret@h:1?prefetchSize=-1"));
    assertTrue(e.getMessage().contains("option prefetchSize"), e.getMessage());
    assertTrue(e.getMessage().contains("'-1'"), e.getMessage());
    assertTrue(e.getMessage().contains("h:1"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    JMSException tooLarge =
        assertThrows(
            JMSException.class,
            () -> WarrenConnectionFactory.forUrl("vm://p?prefetchSize=4294967296"));
    assertTrue(tooLarge.getMessage().contains("0-4294967295"), tooLarge.getMessage());
    JMSException count =
        assertThrows(
            JMSException.class, () -> WarrenConnectionFactory.forUrl("amqp://h?prefetch=70000"));
    assertTrue(count.getMessage().contains("option prefetch must be"), count.getMessage());
  }
}
