package io.warrenmq.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Messaging 3.1, chapter 3 "Jakarta Messaging message model": header fields (3.4),
 * properties (3.5, JMS-defined properties 3.5.9, JMSXDeliveryCount 3.5.11), changing a received
 * message (3.10) and message bodies (3.11).
 */
@Timeout(30)
class MessagesTest extends ConformanceSupport {

  /** Sends {@code m} to a new queue and receives it on the same session. */
  private static Message roundTrip(Session s, Message m) throws JMSException {
    Queue q = s.createQueue(unique("messages"));
    MessageConsumer consumer = s.createConsumer(q);
    s.createProducer(q).send(m);
    Message got = consumer.receive(5_000);
    consumer.close();
    return got;
  }

  @Test
  @DisplayName("3.5.8: getPropertyNames returns every property set, plus JMSXDeliveryCount")
  void getPropertyNamesReturnsEveryPropertySetAndJmsxDeliveryCount() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      TextMessage m = s.createTextMessage("props");
      m.setBooleanProperty("TESTBOOLEAN", true);
      m.setByteProperty("TESTBYTE", (byte) 127);
      m.setShortProperty("TESTSHORT", (short) 10);
      m.setIntProperty("TESTINT", 5);
      m.setLongProperty("TESTLONG", 333L);
      m.setFloatProperty("TESTFLOAT", 1f);
      m.setDoubleProperty("TESTDOUBLE", 100d);
      m.setStringProperty("TESTSTRING", "test");
      m.setObjectProperty("OBJTESTLONG", 333L);
      m.setStringProperty("JMSXGroupID", "group-1");
      m.setIntProperty("JMSXGroupSeq", 1);
      Set<String> sent = new HashSet<>();
      for (Object name : Collections.list(m.getPropertyNames())) {
        sent.add((String) name);
      }
      assertEquals(11, sent.size(), sent.toString());

      Message got = roundTrip(s, m);
      Set<String> names = new HashSet<>();
      for (Object name : Collections.list(got.getPropertyNames())) {
        names.add((String) name);
      }
      Set<String> expected = new HashSet<>(sent);
      expected.add("JMSXDeliveryCount");
      assertEquals(expected, names);
      assertEquals(1, got.getIntProperty("JMSXDeliveryCount"));
      assertEquals("group-1", got.getStringProperty("JMSXGroupID"));
      assertEquals(1, got.getIntProperty("JMSXGroupSeq"));
      assertEquals((byte) 127, got.getByteProperty("TESTBYTE"));
      assertEquals((short) 10, got.getShortProperty("TESTSHORT"));
      assertEquals(1f, got.getFloatProperty("TESTFLOAT"));
      assertEquals(333L, got.getObjectProperty("OBJTESTLONG"));
    }
  }

  @Test
  @DisplayName("3.5.11: JMSXDeliveryCount is 1 on first delivery and counts redeliveries")
  void jmsxDeliveryCountCountsDeliveries() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
      Queue q = s.createQueue(unique("delivery-count"));
      s.createProducer(q).send(s.createTextMessage("x"));
      MessageConsumer consumer = s.createConsumer(q);
      Message first = consumer.receive(5_000);
      assertEquals(1, first.getIntProperty("JMSXDeliveryCount"));
      assertFalse(first.getJMSRedelivered());
      s.recover();
      Message second = consumer.receive(5_000);
      assertEquals(2, second.getIntProperty("JMSXDeliveryCount"));
      assertTrue(second.getJMSRedelivered());
      second.acknowledge();
    }
  }

  @Test
  @DisplayName("3.5.4, 3.5.7: property conversions and the null rules of absent properties")
  void propertyConversionsFollowTheTable() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Message m = s.createMessage();
      m.setIntProperty("i", 7);
      m.setStringProperty("s", "12");
      m.setFloatProperty("f", 1.5f);
      assertEquals(7L, m.getLongProperty("i"));
      assertEquals("7", m.getStringProperty("i"));
      assertEquals(12, m.getIntProperty("s"));
      assertEquals(1.5d, m.getDoubleProperty("f"));
      assertThrows(MessageFormatException.class, () -> m.getShortProperty("i"));
      assertThrows(MessageFormatException.class, () -> m.getIntProperty("f"));
      assertThrows(MessageFormatException.class, () -> m.getBooleanProperty("i"));
      assertThrows(MessageFormatException.class, () -> m.setObjectProperty("o", new Object()));
      assertNull(m.getStringProperty("absent"));
      assertNull(m.getObjectProperty("absent"));
      assertFalse(m.getBooleanProperty("absent"));
      assertThrows(NumberFormatException.class, () -> m.getIntProperty("absent"));
      assertThrows(NullPointerException.class, () -> m.getDoubleProperty("absent"));
      assertThrows(IllegalArgumentException.class, () -> m.setIntProperty("", 1));
      assertThrows(IllegalArgumentException.class, () -> m.setIntProperty(null, 1));
    }
  }

  @Test
  @DisplayName("3.10: a received message's properties and body are read-only until cleared")
  void aReceivedMessageIsReadOnlyUntilCleared() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      TextMessage m = s.createTextMessage("body");
      m.setStringProperty("p", "v");
      TextMessage got = (TextMessage) roundTrip(s, m);
      assertThrows(MessageNotWriteableException.class, () -> got.setStringProperty("p", "w"));
      assertThrows(MessageNotWriteableException.class, () -> got.setText("other"));
      got.clearProperties();
      assertFalse(got.propertyExists("p"));
      got.setStringProperty("p", "w");
      assertEquals("body", got.getText(), "clearProperties leaves the body");
      got.clearBody();
      assertNull(got.getText());
      got.setText("new");
      assertEquals("new", got.getText());
    }
  }

  @Test
  @DisplayName("3.11.3: BytesMessage reads: past the end throws MessageEOFException, readBytes -1")
  void bytesMessageReadsFollowTheStreamRules() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      BytesMessage m = s.createBytesMessage();
      assertThrows(MessageNotReadableException.class, m::readByte);
      m.writeInt(42);
      m.writeBytes(new byte[] {1, 2, 3});
      m.writeUTF("é");
      BytesMessage got = (BytesMessage) roundTrip(s, m);
      assertEquals(4 + 3 + 2 + 2, got.getBodyLength());
      assertEquals(42, got.readInt());
      byte[] two = new byte[2];
      assertEquals(2, got.readBytes(two));
      assertArrayEquals(new byte[] {1, 2}, two);
      assertEquals(3, got.readByte());
      assertEquals("é", got.readUTF());
      assertThrows(MessageEOFException.class, got::readByte);
      assertThrows(MessageEOFException.class, got::readInt);
      assertEquals(-1, got.readBytes(new byte[4]));
      assertThrows(MessageNotWriteableException.class, () -> got.writeInt(1));
      got.reset();
      assertEquals(0, got.readShort(), "reset rereads from the start");
    }
  }

  @Test
  @DisplayName("3.11.3: a partial read at the end throws MessageEOFException and consumes nothing")
  void aReadThatRunsPastTheEndConsumesNothing() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      BytesMessage m = s.createBytesMessage();
      m.writeShort((short) 7);
      BytesMessage got = (BytesMessage) roundTrip(s, m);
      assertThrows(MessageEOFException.class, got::readInt);
      assertEquals(7, got.readShort());
    }
  }

  @Test
  @DisplayName("3.11.3: StreamMessage type rules: a byte array is not readable as a byte")
  void streamMessageFollowsItsConversionTable() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      StreamMessage m = s.createStreamMessage();
      m.writeBytes(new byte[] {9, 8});
      m.writeString("123");
      m.writeBoolean(true);
      StreamMessage got = (StreamMessage) roundTrip(s, m);
      assertThrows(MessageFormatException.class, got::readByte);
      byte[] bytes = new byte[5];
      assertEquals(2, got.readBytes(bytes));
      assertEquals(123L, got.readLong());
      assertThrows(MessageFormatException.class, got::readInt);
      assertEquals("true", got.readString());
      assertThrows(MessageEOFException.class, got::readObject);
    }
  }

  @Test
  @DisplayName("3.11.3: MapMessage conversions and the null rules")
  void mapMessageFollowsItsConversionTable() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      MapMessage m = s.createMapMessage();
      m.setInt("i", 3);
      m.setBytes("b", new byte[] {1});
      m.setString("s", "x");
      MapMessage got = (MapMessage) roundTrip(s, m);
      assertEquals(3L, got.getLong("i"));
      assertEquals("3", got.getString("i"));
      assertThrows(MessageFormatException.class, () -> got.getByte("i"));
      assertThrows(MessageFormatException.class, () -> got.getString("b"));
      assertArrayEquals(new byte[] {1}, got.getBytes("b"));
      assertNull(got.getBytes("absent"));
      assertTrue(got.itemExists("s"));
      assertThrows(MessageNotWriteableException.class, () -> got.setInt("j", 1));
    }
  }

  @Test
  @DisplayName("3.4.11: send sets JMSDestination, JMSDeliveryMode, JMSExpiration, JMSPriority, ...")
  void sendSetsTheHeaderFieldsOfTheSentAndTheReceivedMessage() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue(unique("headers"));
      Queue replyTo = s.createQueue(unique("reply"));
      TextMessage m = s.createTextMessage("h");
      m.setJMSCorrelationID("corr");
      m.setJMSType("type-1");
      m.setJMSReplyTo(replyTo);
      m.setJMSPriority(0); // overwritten by send
      long before = System.currentTimeMillis();
      jakarta.jms.MessageProducer p = s.createProducer(q);
      p.send(m, jakarta.jms.DeliveryMode.NON_PERSISTENT, 7, 60_000);
      long after = System.currentTimeMillis();
      assertEquals(q, m.getJMSDestination());
      assertEquals(jakarta.jms.DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
      assertEquals(7, m.getJMSPriority());
      assertTrue(m.getJMSMessageID().startsWith("ID:"), m.getJMSMessageID());
      assertTrue(m.getJMSTimestamp() >= before && m.getJMSTimestamp() <= after);
      assertEquals(m.getJMSTimestamp() + 60_000, m.getJMSExpiration());

      Message got = s.createConsumer(q).receive(5_000);
      assertEquals(m.getJMSMessageID(), got.getJMSMessageID());
      assertEquals(q, got.getJMSDestination());
      assertEquals(replyTo, got.getJMSReplyTo());
      assertEquals("corr", got.getJMSCorrelationID());
      assertEquals("type-1", got.getJMSType());
      assertEquals(7, got.getJMSPriority());
      assertEquals(jakarta.jms.DeliveryMode.NON_PERSISTENT, got.getJMSDeliveryMode());
      assertEquals(m.getJMSTimestamp(), got.getJMSTimestamp());
      assertEquals(m.getJMSExpiration(), got.getJMSExpiration());
      assertFalse(got.getJMSRedelivered());
    }
  }

  /** 3.4.3 JMSMessageID: unique per message, across producers and sessions, prefixed "ID:". */
  @Test
  void everySentMessageGetsAMessageIdOfItsOwn() throws JMSException {
    try (Connection c = startedConnection()) {
      Queue q = c.createSession().createQueue(unique("ids"));
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (int session = 0; session < 2; session++) {
        Session s = c.createSession();
        for (int producer = 0; producer < 2; producer++) {
          jakarta.jms.MessageProducer p = s.createProducer(q);
          for (int i = 0; i < 3; i++) {
            Message m = s.createMessage();
            p.send(m);
            assertTrue(m.getJMSMessageID().startsWith("ID:"), m.getJMSMessageID());
            assertTrue(ids.add(m.getJMSMessageID()), "sent twice: " + m.getJMSMessageID());
          }
        }
      }
      jakarta.jms.MessageConsumer consumer = c.createSession().createConsumer(q);
      java.util.Set<String> received = new java.util.HashSet<>();
      for (int i = 0; i < ids.size(); i++) {
        Message got = consumer.receive(5_000);
        assertTrue(got != null, "message " + i + " of " + ids.size());
        received.add(got.getJMSMessageID());
      }
      assertEquals(ids, received);
    }
  }

  @Test
  @DisplayName("3.9: a message whose time to live has passed is not delivered")
  void anExpiredMessageIsNotDelivered() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue(unique("expired"));
      jakarta.jms.MessageProducer p = s.createProducer(q);
      p.send(s.createTextMessage("short"), jakarta.jms.DeliveryMode.NON_PERSISTENT, 4, 1);
      p.send(s.createTextMessage("long"));
      long deadline = System.currentTimeMillis() + 50;
      while (System.currentTimeMillis() < deadline) {
        Thread.onSpinWait(); // let the 1 ms time to live pass before the consumer exists
      }
      MessageConsumer consumer = s.createConsumer(q);
      assertEquals("long", ((TextMessage) consumer.receive(5_000)).getText());
      assertNull(consumer.receive(100));
    }
  }

  @Test
  @DisplayName("3.11.1: getBody and isBodyAssignableTo follow each body type")
  void getBodyFollowsEachBodyType() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      TextMessage text = (TextMessage) roundTrip(s, s.createTextMessage("t"));
      assertEquals("t", text.getBody(String.class));
      assertTrue(text.isBodyAssignableTo(Object.class));
      assertFalse(text.isBodyAssignableTo(Integer.class));
      assertThrows(MessageFormatException.class, () -> text.getBody(Integer.class));
      Message plain = roundTrip(s, s.createMessage());
      assertNull(plain.getBody(Object.class));
      StreamMessage stream = s.createStreamMessage();
      stream.writeInt(1);
      StreamMessage gotStream = (StreamMessage) roundTrip(s, stream);
      assertFalse(gotStream.isBodyAssignableTo(Object.class));
      assertThrows(MessageFormatException.class, () -> gotStream.getBody(Object.class));
    }
  }

  @Test
  @DisplayName("3.5.7: a String property set to null exists after the round trip, with value null")
  void aNullStringPropertyTravelsAsAnExistingPropertyWithoutValue() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Message m = s.createMessage();
      m.setStringProperty("nothing", null);
      m.setStringProperty("something", "x");
      assertTrue(m.propertyExists("nothing"));
      Message got = roundTrip(s, m);
      assertNull(got.getStringProperty("nothing"));
      assertEquals("x", got.getStringProperty("something"));
      assertTrue(got.propertyExists("nothing"), "every property set is returned");
      assertTrue(Collections.list(got.getPropertyNames()).contains("nothing"));
    }
  }

  @Test
  @DisplayName("3.11.1: a TextMessage without text arrives without text; an empty one with \"\"")
  void aTextMessageWithoutTextStaysWithoutText() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      TextMessage none = (TextMessage) roundTrip(s, s.createTextMessage());
      assertNull(none.getText());
      assertNull(none.getBody(String.class));
      TextMessage empty = (TextMessage) roundTrip(s, s.createTextMessage(""));
      assertEquals("", empty.getText());
      jakarta.jms.ObjectMessage noObject =
          (jakarta.jms.ObjectMessage) roundTrip(s, s.createObjectMessage());
      assertNull(noObject.getObject());
    }
  }
}
