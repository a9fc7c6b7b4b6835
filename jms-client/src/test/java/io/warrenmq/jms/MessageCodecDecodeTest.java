package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import jakarta.jms.JMSException;
import org.junit.jupiter.api.Test;

/**
 * Unit test of {@link MessageCodec#decode}: the reuse of a consumer's last JMSDestination (only
 * while the exchange and routing key stay the same, never for a temporary destination), and the
 * header fields read on first use.
 */
class MessageCodecDecodeTest {

  private static Delivery delivery(String exchange, String routingKey) {
    BasicProperties p = BasicProperties.builder().header(MessageCodec.MESSAGE_TYPE, "text").build();
    return new Delivery("c", 1, false, exchange, routingKey, p, new byte[0]);
  }

  private final MessageCodec.Destinations destinations = new MessageCodec.Destinations();

  private WarrenMessage decode(Delivery d) throws JMSException {
    return MessageCodec.decode(d, null, destinations);
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
    WarrenMessage queue = decode(delivery("jms.queue", "orders"));
    WarrenMessage temp = decode(delivery("", "jms.temp.q-1"));
    WarrenMessage tempAgain = decode(delivery("", "jms.temp.q-1"));
    assertInstanceOf(WarrenTemporaryQueue.class, temp.getJMSDestination());
    assertNotSame(temp.getJMSDestination(), tempAgain.getJMSDestination(), "made each time");
    WarrenMessage none = decode(delivery("jms.queue", ""));
    assertNull(none.getJMSDestination());
    WarrenMessage queueAgain = decode(delivery("jms.queue", "orders"));
    assertSame(queue.getJMSDestination(), queueAgain.getJMSDestination());
  }

  @Test
  void expirationDeliveryTimeAndDeliveryCountComeFromTheHeadersWhenFirstUsed() throws JMSException {
    BasicProperties p =
        BasicProperties.builder()
            .header(MessageCodec.MESSAGE_TYPE, "text")
            .header(MessageCodec.EXPIRATION, 123L)
            .header(MessageCodec.DELIVERY_TIME, 456L)
            .header(MessageCodec.DELIVERY_COUNT, 2L)
            .header("region", "eu")
            .build();
    WarrenMessage read =
        MessageCodec.decode(new Delivery("c", 1, true, "", "q", p, new byte[0]), null);
    assertEquals(123L, read.getJMSExpiration());
    assertEquals(456L, read.getJMSDeliveryTime());
    assertEquals(3, read.getIntProperty("JMSXDeliveryCount"), "this delivery counts too");
    assertEquals("eu", read.getStringProperty("region"));
    assertNull(
        read.getObjectProperty(MessageCodec.EXPIRATION), "provider headers are no properties");

    WarrenMessage setFirst =
        MessageCodec.decode(new Delivery("c", 2, false, "", "q", p, new byte[0]), null);
    setFirst.setJMSDeliveryTime(9L);
    assertEquals(9L, setFirst.getJMSDeliveryTime(), "a set value wins over the header");
    assertEquals(123L, setFirst.getJMSExpiration(), "the other field still comes from the header");

    BasicProperties none = BasicProperties.builder().build();
    WarrenMessage plain =
        MessageCodec.decode(new Delivery("c", 3, false, "", "q", none, new byte[0]), null);
    assertEquals(0L, plain.getJMSExpiration());
    assertEquals(0L, plain.getJMSDeliveryTime());
    assertEquals(1, plain.getIntProperty("JMSXDeliveryCount"));
  }

  @Test
  void withoutTheDeliveryTimeHeaderJMSDeliveryTimeIsTheTimestamp() throws JMSException {
    BasicProperties stamped = BasicProperties.builder().timestamp(1_000L).build();
    WarrenMessage m =
        MessageCodec.decode(new Delivery("c", 1, false, "", "q", stamped, new byte[0]), null);
    assertEquals(1_000L, m.getJMSTimestamp());
    assertEquals(1_000L, m.getJMSDeliveryTime());
    m.setJMSTimestamp(5L);
    assertEquals(1_000L, m.getJMSDeliveryTime(), "the received timestamp, not a later set one");

    BasicProperties delayed =
        stamped.toBuilder().header(MessageCodec.DELIVERY_TIME, 1_600L).build();
    WarrenMessage later =
        MessageCodec.decode(new Delivery("c", 2, false, "", "q", delayed, new byte[0]), null);
    assertEquals(1_000L, later.getJMSTimestamp());
    assertEquals(1_600L, later.getJMSDeliveryTime(), "the header wins");
  }

  @Test
  void headerFieldsComeFromTheAmqpPropertiesWhenFirstUsed() throws JMSException {
    BasicProperties p =
        BasicProperties.builder()
            .messageId("ID:m-1")
            .correlationId("c-7")
            .type("order")
            .timestamp(2_000L)
            .priority(12) // an AMQP client may send more than 9
            .deliveryMode(BasicProperties.TRANSIENT)
            .replyTo("topic://replies")
            .build();
    WarrenMessage read =
        MessageCodec.decode(new Delivery("c", 1, true, "", "q", p, new byte[0]), null);
    assertEquals("ID:m-1", read.getJMSMessageID());
    assertEquals("c-7", read.getJMSCorrelationID());
    assertEquals("order", read.getJMSType());
    assertEquals(2_000L, read.getJMSTimestamp());
    assertEquals(9, read.getJMSPriority(), "clamped to the JMS range");
    assertEquals(jakarta.jms.DeliveryMode.NON_PERSISTENT, read.getJMSDeliveryMode());
    assertEquals(new WarrenTopic("replies"), read.getJMSReplyTo());
    assertEquals(2_000L, read.getJMSDeliveryTime());
    assertEquals(true, read.getJMSRedelivered());

    WarrenMessage setFirst =
        MessageCodec.decode(new Delivery("c", 2, false, "", "q", p, new byte[0]), null);
    setFirst.setJMSPriority(3);
    setFirst.setJMSTimestamp(5L);
    assertEquals(3, setFirst.getJMSPriority(), "a set value wins over the properties");
    assertEquals(5L, setFirst.getJMSTimestamp());
    assertEquals("ID:m-1", setFirst.getJMSMessageID(), "the other fields still come from them");
    assertEquals(2_000L, setFirst.getJMSDeliveryTime(), "the received timestamp, not the set one");

    WarrenMessage corr =
        MessageCodec.decode(new Delivery("c", 3, false, "", "q", p, new byte[0]), null);
    corr.setJMSCorrelationIDAsBytes(new byte[] {'x'});
    assertEquals("x", corr.getJMSCorrelationID());
    assertEquals("order", corr.getJMSType());
  }

  @Test
  void theDeliveryTimeHeaderIsSentOnlyWhenItDiffersFromTheTimestamp() throws JMSException {
    WarrenMessage m = new WarrenBytesMessage();
    m.setJMSTimestamp(1_000L);
    m.setJMSDeliveryTime(1_000L);
    assertNull(MessageCodec.encodeProperties(m).build().headers().get(MessageCodec.DELIVERY_TIME));
    assertEquals(0, MessageCodec.encodeProperties(m).build().headers().size(), "no headers at all");

    m.setJMSDeliveryTime(1_600L); // a delivery delay of 600 ms
    assertEquals(
        1_600L, MessageCodec.encodeProperties(m).build().headers().get(MessageCodec.DELIVERY_TIME));

    m.setJMSTimestamp(0L); // timestamps disabled
    m.setJMSDeliveryTime(1_000L);
    assertEquals(
        1_000L, MessageCodec.encodeProperties(m).build().headers().get(MessageCodec.DELIVERY_TIME));
  }
}
