package io.warrenmq.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.wire.WireWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SASL responses of {@code connection.start-ok}: PLAIN (RFC 4616) and RabbitMQ's AMQPLAIN. */
class SaslResponseTest {
  @Test
  void plainResponseCarriesUserAndPasswordAfterAnAuthorizationId() {
    SaslResponse r = SaslResponse.parse("PLAIN", "\0alice\0s3cret".getBytes());
    assertEquals("alice", r.user());
    assertEquals("s3cret", r.password());
    assertFalse(r.toString().contains("s3cret"));
  }

  @Test
  void amqplainResponseIsATableWithoutItsSizePrefix() {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("LOGIN", "bob");
    table.put("PASSWORD", "pw");
    ByteBuf buf = Unpooled.buffer();
    WireWriter.writeTable(buf, table);
    buf.skipBytes(4);
    SaslResponse r = SaslResponse.parse("AMQPLAIN", ByteBufUtil.getBytes(buf));
    assertEquals("bob", r.user());
    assertEquals("pw", r.password());
  }

  @Test
  void malformedResponsesAndUnknownMechanismsAreAccessRefused() {
    for (String[] c :
        new String[][] {{"PLAIN", "no-nul-here"}, {"AMQPLAIN", "\u0001"}, {"EXTERNAL", ""}}) {
      AmqpException e =
          assertThrows(AmqpException.class, () -> SaslResponse.parse(c[0], c[1].getBytes()));
      assertEquals(ReplyCode.ACCESS_REFUSED, e.replyCode());
      assertTrue(e.replyText().contains(c[0]), e.replyText());
    }
  }
}
