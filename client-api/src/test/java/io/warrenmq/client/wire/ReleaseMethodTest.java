package io.warrenmq.client.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The codec of WarrenMQ's {@code basic.release}, byte for byte as docs/protocol-release.md
 * specifies it: class 60, method 200, one {@code longlong} delivery tag, no content.
 */
class ReleaseMethodTest {

  private static byte[] encode(AmqpMethod m) {
    ByteBuf buf = Unpooled.buffer();
    MethodCodec.encode(m, buf);
    return ByteBufUtil.getBytes(buf);
  }

  @Test
  void releaseIsLaidOutAsTheSpecificationPageShowsIt() {
    assertEquals(
        "003c" + "00c8" + "0000000000000011",
        HexFormat.of().formatHex(encode(new BasicMethods.Release(17))));
  }

  @Test
  void releaseDecodesToWhatWasEncodedAndCarriesNoContent() {
    AmqpMethod decoded =
        MethodCodec.decode(Unpooled.wrappedBuffer(encode(new BasicMethods.Release(1L << 40))));
    assertEquals(new BasicMethods.Release(1L << 40), decoded);
    assertEquals(MethodId.BASIC_RELEASE, MethodCodec.lookUp(60, 200));
    assertEquals(false, MethodId.BASIC_RELEASE.hasContent());
  }

  @Test
  void otherHighBasicMethodIdsStayUnknown() {
    AmqpException e = assertThrows(AmqpException.class, () -> MethodCodec.lookUp(60, 199));
    assertEquals(ReplyCode.COMMAND_INVALID, e.replyCode());
    assertThrows(AmqpException.class, () -> MethodCodec.lookUp(40, 200));
  }

  @Test
  void aReleaseWithoutItsTagIsAFrameError() {
    ByteBuf payload = Unpooled.buffer().writeShort(60).writeShort(200).writeInt(17);
    AmqpException e = assertThrows(AmqpException.class, () -> MethodCodec.decode(payload));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
  }
}
