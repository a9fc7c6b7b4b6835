package io.warrenmq.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Messaging 3.1, section 3.12 "Provider implementations of Jakarta Messaging message
 * interfaces": a provider must send a message of another provider's implementation, body,
 * properties and headers included; the receiver gets one of this provider's messages, with the type
 * rules of its type.
 */
@Timeout(30)
class ForeignMessagesTest extends ConformanceSupport {

  private static Message sendAndReceive(Session s, Message foreign) throws JMSException {
    Queue q = s.createQueue(unique("foreign"));
    MessageConsumer consumer = s.createConsumer(q);
    s.createProducer(q).send(foreign);
    Message got = consumer.receive(5_000);
    assertNotNull(got);
    return got;
  }

  @Test
  @DisplayName("3.12: a foreign BytesMessage is sent with its body, read back as a BytesMessage")
  void aForeignBytesMessageIsSentWithItsBody() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      ForeignMessage[] handle = new ForeignMessage[1];
      BytesMessage foreign = ForeignMessage.create(BytesMessage.class, handle);
      foreign.writeInt(7);
      foreign.writeBytes(new byte[] {1, 2, 3});
      foreign.setStringProperty("origin", "elsewhere");
      BytesMessage got = (BytesMessage) sendAndReceive(s, foreign);
      assertEquals(7, got.getBodyLength());
      assertEquals(7, got.readInt());
      byte[] rest = new byte[8];
      assertEquals(3, got.readBytes(rest));
      assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(rest, 3));
      assertEquals(-1, got.readBytes(rest));
      assertThrows(MessageEOFException.class, got::readByte);
      assertEquals("elsewhere", got.getStringProperty("origin"));
      assertNotNull(handle[0].headers.get("JMSMessageID"), "send sets JMSMessageID on it");
      assertEquals(got.getJMSMessageID(), handle[0].headers.get("JMSMessageID"));
    }
  }

  @Test
  @DisplayName("3.12: a foreign BytesMessage longer than one read buffer arrives whole")
  void aLargeForeignBytesMessageArrivesWhole() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      BytesMessage foreign = ForeignMessage.create(BytesMessage.class);
      byte[] body = new byte[70_000];
      for (int i = 0; i < body.length; i++) {
        body[i] = (byte) i;
      }
      foreign.writeBytes(body);
      BytesMessage got = (BytesMessage) sendAndReceive(s, foreign);
      assertEquals(body.length, got.getBodyLength());
      byte[] read = new byte[body.length];
      assertEquals(body.length, got.readBytes(read));
      assertArrayEquals(body, read);
    }
  }

  @Test
  @DisplayName("3.12: a foreign StreamMessage keeps its typed values and their conversion rules")
  void aForeignStreamMessageKeepsItsTypedValues() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      StreamMessage foreign = ForeignMessage.create(StreamMessage.class);
      foreign.writeBytes(new byte[] {5});
      foreign.writeInt(12);
      foreign.writeString("s");
      StreamMessage got = (StreamMessage) sendAndReceive(s, foreign);
      assertThrows(MessageFormatException.class, got::readByte);
      assertArrayEquals(new byte[] {5}, (byte[]) got.readObject());
      assertEquals(12L, got.readLong());
      assertEquals("s", got.readString());
      assertThrows(MessageEOFException.class, got::readObject);
    }
  }

  @Test
  @DisplayName("3.12: foreign Map, Object, Text and plain messages keep their bodies and types")
  void foreignMapObjectTextAndPlainMessagesKeepTheirBodies() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      MapMessage map = ForeignMessage.create(MapMessage.class);
      map.setInt("i", 1);
      map.setString("s", "v");
      MapMessage gotMap = (MapMessage) sendAndReceive(s, map);
      assertEquals(1, gotMap.getInt("i"));
      assertEquals("v", gotMap.getString("s"));

      ObjectMessage gotObject =
          (ObjectMessage) sendAndReceive(s, ForeignMessage.object(new java.util.ArrayList<>()));
      assertInstanceOf(java.util.ArrayList.class, gotObject.getObject());

      TextMessage gotText = (TextMessage) sendAndReceive(s, ForeignMessage.text("hello"));
      assertEquals("hello", gotText.getText());

      Message plain = ForeignMessage.create(Message.class);
      plain.setStringProperty("k", "v");
      plain.setJMSType("kind");
      Message gotPlain = sendAndReceive(s, plain);
      assertEquals("v", gotPlain.getStringProperty("k"));
      assertEquals("kind", gotPlain.getJMSType());
    }
  }
}
