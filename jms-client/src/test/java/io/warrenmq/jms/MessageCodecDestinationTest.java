package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.warrenmq.engine.BasicProperties;
import io.warrenmq.engine.Delivery;
import jakarta.jms.JMSException;
import org.junit.jupiter.api.Test;

/**
 * Unit test of {@link MessageCodec}'s reuse of a consumer's last JMSDestination: reused only while
 * the exchange and routing key stay the same, never for a temporary destination.
 */
class MessageCodecDestinationTest {

  private static Delivery delivery(String exchange, String routingKey) {
    BasicProperties p = BasicProperties.builder().header(MessageCodec.MESSAGE_TYPE, "text").build();
    return new Delivery("c", 1, false, exchange, routingKey, p, new byte[0]);
  }

  private MessageCodec.LastDestination last;

  private WarrenMessage decode(Delivery d) throws JMSException {
    WarrenMessage m = MessageCodec.decode(d, null, last);
    last = MessageCodec.remember(last, d, m);
    return m;
  }

  @Test
  void aQueueDestinationIsReusedUntilTheRoutingKeyChanges() throws JMSException {
    WarrenMessage first = decode(delivery("jms.queue", "orders"));
    WarrenMessage second = decode(delivery("jms.queue", "orders"));
    WarrenMessage other = decode(delivery("jms.queue", "invoices"));

    assertEquals(new WarrenQueue("orders"), first.getJMSDestination());
    assertSame(first.getJMSDestination(), second.getJMSDestination());
    assertEquals(new WarrenQueue("invoices"), other.getJMSDestination());
    assertNotSame(first.getJMSDestination(), other.getJMSDestination());
  }

  @Test
  void aTopicAfterAQueueWithTheSameRoutingKeyIsATopic() throws JMSException {
    decode(delivery("jms.queue", "events"));
    WarrenMessage topic = decode(delivery("jms.topic", "events"));
    WarrenMessage again = decode(delivery("jms.topic", "events"));

    assertInstanceOf(WarrenTopic.class, topic.getJMSDestination());
    assertEquals(new WarrenTopic("events"), topic.getJMSDestination());
    assertSame(topic.getJMSDestination(), again.getJMSDestination());
  }

  @Test
  void aTemporaryDestinationIsNotKept() throws JMSException {
    WarrenMessage temp = decode(delivery("", "jms.temp.q-1"));
    assertInstanceOf(WarrenTemporaryQueue.class, temp.getJMSDestination());
    assertNull(last);
    WarrenMessage none = decode(delivery("jms.queue", ""));
    assertNull(none.getJMSDestination());
    assertNull(last);
  }
}
