package io.warrenmq.client.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ReplyCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad frames get the reply code RabbitMQ 3.x sends for them (asked of the RabbitMQ on
 * 127.0.0.1:5672 with raw frames), always a connection error, with a reply text that names what was
 * wrong. Spec 4.2.3 (frame format), 4.2.6 (content framing), 2.3.5.1 (method frames).
 */
class FrameErrorsTest {
  private static final long FRAME_MAX = 131072;

  @Test
  void frameIsReturnedOnlyOnceAllOfItHasArrived() {
    ByteBuf frame = methodFrame(1, new NoArguments(MethodId.TX_SELECT));
    FrameParser parser = new FrameParser(FRAME_MAX);
    ByteBuf partial = frame.copy(0, frame.readableBytes() - 1);
    assertNull(parser.next(partial));
    assertEquals(0, partial.readerIndex(), "nothing consumed before the frame is whole");
    Frame whole = parser.next(frame);
    assertEquals(Frame.METHOD, whole.type());
    assertEquals(1, whole.channel());
    assertEquals(MethodId.TX_SELECT, MethodCodec.decode(whole.payload()).id());
    assertEquals(0, frame.readableBytes());
  }

  @Test
  void wrongFrameEndOctetIsFrameError() {
    ByteBuf frame = methodFrame(1, new NoArguments(MethodId.TX_SELECT));
    frame.setByte(frame.writerIndex() - 1, 0);
    AmqpException e =
        assertThrows(AmqpException.class, () -> new FrameParser(FRAME_MAX).next(frame));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertTrue(e.replyText().contains("frame-end"), e.replyText());
  }

  @Test
  void unknownFrameTypeIsFrameError() {
    ByteBuf frame =
        Unpooled.buffer()
            .writeByte(7)
            .writeShort(1)
            .writeInt(3)
            .writeBytes("abc".getBytes())
            .writeByte(0xce);
    AmqpException e =
        assertThrows(AmqpException.class, () -> new FrameParser(FRAME_MAX).next(frame));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertTrue(e.replyText().contains("unknown frame type 7"), e.replyText());
  }

  @Test
  void frameOverFrameMaxIsRefusedBeforeItsPayloadArrives() {
    ByteBuf header = Unpooled.buffer().writeByte(Frame.BODY).writeShort(1).writeInt(200_000);
    AmqpException e =
        assertThrows(AmqpException.class, () -> new FrameParser(FRAME_MAX).next(header));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertTrue(e.replyText().contains("200000"), e.replyText());
    assertTrue(e.replyText().contains("131064"), e.replyText());
  }

  @Test
  void frameOfExactlyFrameMaxIsAccepted() {
    int payload = (int) FRAME_MAX - Frame.OVERHEAD;
    ByteBuf frame = Unpooled.buffer().writeByte(Frame.BODY).writeShort(1).writeInt(payload);
    frame.writeZero(payload).writeByte(0xce);
    assertEquals(payload, new FrameParser(FRAME_MAX).next(frame).payload().readableBytes());
  }

  @Test
  void truncatedArgumentsAreFrameErrorNamingTheMethod() {
    ByteBuf payload = Unpooled.buffer().writeShort(50).writeShort(10).writeByte(0);
    AmqpException e = assertThrows(AmqpException.class, () -> MethodCodec.decode(payload));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertTrue(e.replyText().startsWith("cannot decode queue.declare"), e.replyText());
  }

  @Test
  void bytesAfterTheLastArgumentAreFrameError() {
    ByteBuf payload = Unpooled.buffer().writeShort(90).writeShort(10).writeBytes("xyz".getBytes());
    AmqpException e = assertThrows(AmqpException.class, () -> MethodCodec.decode(payload));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertTrue(e.replyText().contains("tx.select: 3 bytes follow"), e.replyText());
  }

  @Test
  void unknownClassOrMethodIsCommandInvalid() {
    for (int[] ids : new int[][] {{99, 10}, {60, 99}, {0, 0}, {65535, 65535}}) {
      ByteBuf payload = Unpooled.buffer().writeShort(ids[0]).writeShort(ids[1]);
      AmqpException e = assertThrows(AmqpException.class, () -> MethodCodec.decode(payload));
      assertEquals(ReplyCode.COMMAND_INVALID, e.replyCode());
      assertTrue(e.isHardError());
      assertTrue(e.replyText().contains("class " + ids[0] + ", method " + ids[1]), e.replyText());
    }
  }

  @Test
  void unknownFieldTypeInATableIsFrameErrorNamingTheField() {
    ByteBuf payload = Unpooled.buffer().writeShort(50).writeShort(10).writeShort(0);
    WireWriter.writeShortString(payload, "q");
    payload.writeByte(0).writeInt(3).writeByte(1).writeByte('a').writeByte('Z');
    AmqpException e = assertThrows(AmqpException.class, () -> MethodCodec.decode(payload));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertTrue(e.replyText().contains("unknown field type 'Z' in arguments"), e.replyText());
  }

  @Test
  void tablesNestedTooDeeplyAreRefused() {
    ByteBuf table = Unpooled.buffer();
    int depth = WireReader.MAX_NESTING + 5;
    // innermost first: an empty table, wrapped depth times in {"a": table}
    byte[] inner = {0, 0, 0, 0};
    for (int i = 0; i < depth; i++) {
      ByteBuf wrap =
          Unpooled.buffer().writeInt(3 + inner.length).writeByte(1).writeByte('a').writeByte('F');
      wrap.writeBytes(inner);
      inner = ReferenceClientEncodingTest.bytes(wrap);
    }
    table.writeBytes(inner);
    WireFormatException e =
        assertThrows(WireFormatException.class, () -> WireReader.readTable(table, "headers"));
    assertTrue(e.getMessage().contains("deeper than"), e.getMessage());
  }

  @Test
  void invalidUtf8InAShortStringIsRefused() {
    ByteBuf in = Unpooled.buffer().writeByte(2).writeByte(0xc3).writeByte(0x28);
    WireFormatException e =
        assertThrows(WireFormatException.class, () -> WireReader.readShortString(in, "queue"));
    assertEquals("queue is not valid UTF-8", e.getMessage());
  }

  @Test
  void longStringThatIsNotUtf8IsKeptAsBytesInATable() {
    ByteBuf in = Unpooled.buffer();
    in.writeInt(1 + 1 + 1 + 4 + 2).writeByte(1).writeByte('k').writeByte('S').writeInt(2);
    in.writeByte(0xc3).writeByte(0x28);
    Object value = WireReader.readTable(in, "headers").get("k");
    assertArrayEquals(new byte[] {(byte) 0xc3, 0x28}, assertInstanceOf(byte[].class, value));
  }

  // content framing (spec 4.2.6), as RabbitMQ answers it

  @Test
  void contentBodyWithoutHeaderIsUnexpectedFrame() {
    CommandAssembler assembler = new CommandAssembler(1 << 20);
    AmqpException e =
        assertThrows(
            AmqpException.class,
            () ->
                assembler.accept(
                    new Frame(Frame.BODY, 1, Unpooled.wrappedBuffer("hello".getBytes()))));
    assertEquals(ReplyCode.UNEXPECTED_FRAME, e.replyCode());
    assertEquals("expected method frame, got non method frame instead", e.replyText());
  }

  @Test
  void methodWhereAContentHeaderIsExpectedIsUnexpectedFrame() {
    CommandAssembler assembler = new CommandAssembler(1 << 20);
    assertNull(assembler.accept(method(new BasicMethods.Publish("", "q", false, false))));
    AmqpException e =
        assertThrows(
            AmqpException.class,
            () -> assembler.accept(method(new NoArguments(MethodId.TX_SELECT))));
    assertEquals(ReplyCode.UNEXPECTED_FRAME, e.replyCode());
    assertEquals(
        "expected content header for class 60, got non content header frame instead",
        e.replyText());
  }

  @Test
  void contentHeaderOfAnotherClassIsUnexpectedFrame() {
    CommandAssembler assembler = new CommandAssembler(1 << 20);
    assembler.accept(method(new BasicMethods.Publish("", "q", false, false)));
    ByteBuf header = Unpooled.buffer();
    new ContentHeader(50, 2, BasicProperties.EMPTY).encode(header);
    AmqpException e =
        assertThrows(
            AmqpException.class, () -> assembler.accept(new Frame(Frame.HEADER, 1, header)));
    assertEquals(ReplyCode.UNEXPECTED_FRAME, e.replyCode());
    assertEquals(
        "expected content header for class 60, got one for class 50 instead", e.replyText());
  }

  @Test
  void bodyFramesCarryingMoreThanAnnouncedAreFrameError() {
    CommandAssembler assembler = new CommandAssembler(1 << 20);
    assembler.accept(method(new BasicMethods.Publish("", "q", false, false)));
    assembler.accept(header(2));
    AmqpException e =
        assertThrows(
            AmqpException.class,
            () ->
                assembler.accept(
                    new Frame(Frame.BODY, 1, Unpooled.wrappedBuffer("hello".getBytes()))));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
  }

  @Test
  void bodyOverTheMaximumMessageSizeIsPreconditionFailedOnTheChannel() {
    CommandAssembler assembler = new CommandAssembler(4);
    assembler.accept(method(new BasicMethods.Publish("", "q", false, false)));
    AmqpException e = assertThrows(AmqpException.class, () -> assembler.accept(header(5)));
    assertEquals(ReplyCode.PRECONDITION_FAILED, e.replyCode());
    assertEquals(
        "message size 5 is larger than configured max size 4 (basic.publish)", e.replyText());
    assertTrue(!assembler.inContent(), "the half-received command is dropped");
  }

  @Test
  void contentSplitOverBodyFramesIsAssembledIntoOneBody() {
    CommandAssembler assembler = new CommandAssembler(1 << 20);
    BasicProperties props =
        BasicProperties.builder().deliveryMode(2).headers(Map.of("k", "v")).build();
    ByteBuf out = Unpooled.buffer();
    byte[] body = new byte[10_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    FrameWriter.writeContent(
        out, 3, new BasicMethods.Publish("ex", "rk", true, false), props, body, 4096);
    FrameParser parser = new FrameParser(4096);
    CommandAssembler.Command command = null;
    int frames = 0;
    for (Frame f = parser.next(out); f != null; f = parser.next(out)) {
      frames++;
      assertEquals(3, f.channel());
      command = assembler.accept(f);
    }
    assertEquals(2 + 3, frames, "method, header, three body frames of at most 4088 bytes");
    assertEquals(new BasicMethods.Publish("ex", "rk", true, false), command.method());
    assertEquals(props, command.properties());
    assertArrayEquals(body, command.body());
  }

  @Test
  void emptyBodyCompletesWithTheHeader() {
    CommandAssembler assembler = new CommandAssembler(1 << 20);
    assembler.accept(method(new BasicMethods.Publish("", "q", false, false)));
    CommandAssembler.Command command = assembler.accept(header(0));
    assertEquals(0, command.body().length);
  }

  private static Frame method(AmqpMethod m) {
    ByteBuf payload = Unpooled.buffer();
    MethodCodec.encode(m, payload);
    return new Frame(Frame.METHOD, 1, payload);
  }

  private static Frame header(long bodySize) {
    ByteBuf payload = Unpooled.buffer();
    new ContentHeader(60, bodySize, BasicProperties.EMPTY).encode(payload);
    return new Frame(Frame.HEADER, 1, payload);
  }

  private static ByteBuf methodFrame(int channel, AmqpMethod m) {
    ByteBuf out = Unpooled.buffer();
    FrameWriter.writeMethod(out, channel, m);
    return out;
  }
}
