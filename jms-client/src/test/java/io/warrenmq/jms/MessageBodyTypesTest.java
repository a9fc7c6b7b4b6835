package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class MessageBodyTypesTest extends JmsTestSupport {

  private Message roundTrip(Session s, Message m) throws Exception {
    Queue q = s.createQueue("bodies");
    MessageProducer p = s.createProducer(q);
    MessageConsumer c = s.createConsumer(q);
    p.send(m);
    Message got = c.receive(5_000);
    c.close();
    return got;
  }

  /**
   * A message an AMQP 0-9-1 client publishes carries no {@code x-jms-message-type}: a JMS consumer
   * gets it as a BytesMessage with the published body, as RabbitMQ's JMS client does. A plain
   * {@code Message} still arrives as one, not as a BytesMessage.
   */
  @Test
  void anAmqpClientsMessageIsABytesMessageAndAPlainMessageStaysPlain() throws Exception {
    try (Connection c = startedConnection();
        io.warrenmq.engine.Connection amqp = broker.newConnection("/", "amqp-client")) {
      Session s = c.createSession();
      Queue q = s.createQueue("from-amqp");
      MessageConsumer consumer = s.createConsumer(q); // declares and binds the queue
      byte[] body = {7, 8, 9};
      amqp.createChannel()
          .basicPublish(
              "jms.queue",
              "from-amqp",
              false,
              io.warrenmq.client.BasicProperties.builder().header("region", "eu").build(),
              body);

      BytesMessage got = assertInstanceOf(BytesMessage.class, consumer.receive(5_000));
      assertEquals(3, got.getBodyLength());
      byte[] read = new byte[3];
      assertEquals(3, got.readBytes(read));
      assertArrayEquals(body, read);
      assertEquals("eu", got.getStringProperty("region"));
      assertArrayEquals(body, got.getBody(byte[].class));
      consumer.close();

      Message plain = roundTrip(s, s.createMessage());
      assertEquals(WarrenMessage.class, plain.getClass(), "a plain Message stays plain");
    }
  }

  @Test
  void bytesMessagesRoundTripEveryPrimitiveInOrder() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      BytesMessage m = s.createBytesMessage();
      m.writeBoolean(true);
      m.writeByte((byte) -3);
      m.writeShort((short) 300);
      m.writeChar('x');
      m.writeInt(70_000);
      m.writeLong(1L << 40);
      m.writeFloat(1.25f);
      m.writeDouble(2.5);
      m.writeUTF("héllo");
      m.writeBytes(new byte[] {1, 2, 3});
      assertThrows(MessageNotReadableException.class, m::readInt);

      BytesMessage got = assertInstanceOf(BytesMessage.class, roundTrip(s, m));
      assertEquals(1 + 1 + 2 + 2 + 4 + 8 + 4 + 8 + 8 + 3, got.getBodyLength());
      assertTrue(got.readBoolean());
      assertEquals(-3, got.readByte());
      assertEquals(300, got.readShort());
      assertEquals('x', got.readChar());
      assertEquals(70_000, got.readInt());
      assertEquals(1L << 40, got.readLong());
      assertEquals(1.25f, got.readFloat());
      assertEquals(2.5, got.readDouble());
      assertEquals("héllo", got.readUTF());
      byte[] rest = new byte[10];
      assertEquals(3, got.readBytes(rest));
      assertEquals(-1, got.readBytes(rest));
      assertThrows(MessageEOFException.class, got::readByte);
      assertThrows(MessageNotWriteableException.class, () -> got.writeInt(1));
      got.reset();
      assertTrue(got.readBoolean(), "reset() rewinds to the start");
    }
  }

  @Test
  void aBytesMessageWrittenAfterASendDoesNotChangeTheMessageAlreadySent() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("bodies-resend");
      MessageProducer p = s.createProducer(q);
      MessageConsumer consumer = s.createConsumer(q);
      BytesMessage m = s.createBytesMessage();
      byte[] ones = new byte[32]; // exactly the write buffer's first size: sent without a copy
      java.util.Arrays.fill(ones, (byte) 1);
      m.writeBytes(ones);
      p.send(m);
      m.writeByte((byte) 2); // the message stays writable after send (Jakarta Messaging 3.9)
      p.send(m);
      m.clearBody();
      byte[] threes = new byte[32];
      java.util.Arrays.fill(threes, (byte) 3);
      m.writeBytes(threes);
      p.send(m);

      byte[] first = consumer.receive(5_000).getBody(byte[].class);
      byte[] second = consumer.receive(5_000).getBody(byte[].class);
      byte[] third = consumer.receive(5_000).getBody(byte[].class);
      assertArrayEquals(ones, first, "the first send is unchanged by later writes");
      byte[] onesThenTwo = java.util.Arrays.copyOf(ones, 33);
      onesThenTwo[32] = 2;
      assertArrayEquals(onesThenTwo, second);
      assertArrayEquals(threes, third);
    }
  }

  /**
   * A first write larger than the write buffer takes an exact copy of the caller's range: changing
   * the caller's array afterwards changes nothing, a part of an array is taken as such, and later
   * writes append to it.
   */
  @Test
  void aLargeFirstWriteIsCopiedExactlyAndLaterWritesAppendToIt() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("bodies-large-first");
      MessageProducer p = s.createProducer(q);
      MessageConsumer consumer = s.createConsumer(q);
      byte[] source = new byte[1024];
      for (int i = 0; i < source.length; i++) {
        source[i] = (byte) i;
      }
      BytesMessage whole = s.createBytesMessage();
      whole.writeBytes(source);
      BytesMessage part = s.createBytesMessage();
      part.writeBytes(source, 100, 500);
      part.writeByte((byte) 7);
      byte[] expectedWhole = source.clone();
      java.util.Arrays.fill(source, (byte) 9); // the caller reuses its array
      p.send(whole);
      p.send(part);
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> s.createBytesMessage().writeBytes(source, 1000, 100));

      assertArrayEquals(expectedWhole, consumer.receive(5_000).getBody(byte[].class));
      byte[] expectedPart =
          java.util.Arrays.copyOf(java.util.Arrays.copyOfRange(expectedWhole, 100, 600), 501);
      expectedPart[500] = 7;
      assertArrayEquals(expectedPart, consumer.receive(5_000).getBody(byte[].class));
    }
  }

  /**
   * A bytes message nobody wrote to has an empty body whichever way it goes: sent and received,
   * reset and read, or written after clearBody on a received one.
   */
  @Test
  void aBytesMessageNeverWrittenHasAnEmptyBodyAndAReceivedOneIsWritableAfterClearBody()
      throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      BytesMessage empty = s.createBytesMessage();
      empty.setStringProperty("kind", "empty");

      BytesMessage got = assertInstanceOf(BytesMessage.class, roundTrip(s, empty));
      assertEquals(0, got.getBodyLength());
      assertEquals(-1, got.readBytes(new byte[4]));
      assertEquals("empty", got.getStringProperty("kind"));
      assertThrows(MessageNotWriteableException.class, () -> got.writeInt(1));
      got.clearBody();
      got.writeInt(7);
      got.reset();
      assertEquals(4, got.getBodyLength());
      assertEquals(7, got.readInt());

      BytesMessage neverWritten = s.createBytesMessage();
      neverWritten.reset();
      assertEquals(0, neverWritten.getBodyLength());
      assertThrows(MessageNotWriteableException.class, () -> neverWritten.writeByte((byte) 1));
    }
  }

  @Test
  void mapMessagesRoundTripAndConvertAsTheSpecTableSays() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      MapMessage m = s.createMapMessage();
      m.setInt("count", 42);
      m.setString("number", "17");
      m.setChar("grade", 'A');
      m.setBytes("raw", new byte[] {9, 8});
      m.setObject("ratio", 0.5f);
      assertThrows(MessageFormatException.class, () -> m.setObject("bad", new Object()));

      MapMessage got = assertInstanceOf(MapMessage.class, roundTrip(s, m));
      assertEquals(42, got.getInt("count"));
      assertEquals(42L, got.getLong("count"));
      assertEquals("42", got.getString("count"));
      assertEquals(17, got.getInt("number"));
      assertEquals('A', got.getChar("grade"));
      assertArrayEquals(new byte[] {9, 8}, got.getBytes("raw"));
      assertEquals(0.5d, got.getDouble("ratio"));
      assertThrows(MessageFormatException.class, () -> got.getShort("count"));
      assertThrows(MessageFormatException.class, () -> got.getString("raw"));
      assertThrows(MessageFormatException.class, () -> got.getInt("grade"));
      assertNull(got.getString("absent"));
      assertThrows(NumberFormatException.class, () -> got.getInt("absent"));
      assertEquals(
          java.util.Set.of("count", "number", "grade", "raw", "ratio"),
          new java.util.HashSet<>(Collections.list(got.getMapNames())));
      assertEquals(42, got.getBody(Map.class).get("count"));
      assertThrows(MessageNotWriteableException.class, () -> got.setInt("x", 1));
    }
  }

  @Test
  void streamMessagesRoundTripAndKeepThePositionOnAFailedConversion() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      StreamMessage m = s.createStreamMessage();
      m.writeString("123");
      m.writeBytes(new byte[] {1, 2, 3, 4, 5});
      m.writeObject(null);
      m.writeLong(7);

      StreamMessage got = assertInstanceOf(StreamMessage.class, roundTrip(s, m));
      assertThrows(MessageFormatException.class, got::readChar);
      assertEquals(123, got.readInt(), "a failed read must not move the position");
      byte[] chunk = new byte[2];
      assertEquals(2, got.readBytes(chunk));
      assertArrayEquals(new byte[] {1, 2}, chunk);
      assertEquals(2, got.readBytes(chunk));
      assertEquals(1, got.readBytes(chunk));
      assertEquals(5, chunk[0]);
      assertNull(got.readObject());
      assertEquals("7", got.readString());
      assertThrows(MessageEOFException.class, got::readLong);
      assertThrows(MessageFormatException.class, () -> got.getBody(Object.class));
    }
  }

  @Test
  void aByteArrayThatFillsTheBufferExactlyEndsWithMinusOne() throws Exception {
    WarrenStreamMessage m = new WarrenStreamMessage();
    m.writeBytes(new byte[] {1, 2});
    m.writeInt(5);
    m.reset();
    byte[] buffer = new byte[2];
    assertEquals(2, m.readBytes(buffer));
    assertEquals(-1, m.readBytes(buffer));
    assertEquals(5, m.readInt());
  }
}
