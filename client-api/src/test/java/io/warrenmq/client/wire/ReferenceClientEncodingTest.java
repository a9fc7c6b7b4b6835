package io.warrenmq.client.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Method;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.client.BasicProperties;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.math.BigDecimal;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of AMQP 0-9-1 (with RabbitMQ's extensions) encoded by WarrenMQ is byte for byte what
 * RabbitMQ's own Java client ({@code com.rabbitmq:amqp-client}, the reference peer) encodes, and
 * each side decodes the other's bytes to the same method. Same for field tables of every type and
 * for content headers with every basic property.
 */
class ReferenceClientEncodingTest {

  static Map<String, Object> table() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("count", 3L);
    nested.put("reason", "expired");
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("string", "héllo wörld");
    t.put("int", 42);
    t.put("long", -7L);
    t.put("bool", true);
    t.put("byte", (byte) -3);
    t.put("short", (short) 1234);
    t.put("float", 1.5f);
    t.put("double", -2.25);
    t.put("decimal", new BigDecimal("12.345"));
    t.put("timestamp", new Date(1_700_000_000_000L));
    t.put("bytes", new byte[] {0, 1, (byte) 0xff});
    t.put("void", null);
    t.put("table", nested);
    t.put("array", List.of(1, "two", List.of(3L), Map.of("k", "v")));
    return t;
  }

  static Stream<Arguments> methods() {
    // one entry per table: the reference client copies tables into hash maps, so only a
    // one-entry table has one byte order (fieldTable... tests cover the types and order)
    Map<String, Object> args = Map.of("x-message-ttl", 60000);
    return Stream.of(
        pair(
            new ConnectionMethods.Start(
                0, 9, Map.of("product", "WarrenMQ"), "PLAIN AMQPLAIN", "en_US"),
            new AMQImpl.Connection.Start(
                0,
                9,
                Map.of("product", "WarrenMQ"),
                longString("PLAIN AMQPLAIN"),
                longString("en_US"))),
        pair(
            new ConnectionMethods.StartOk(
                Map.of("product", "x"), "PLAIN", "\0guest\0guest".getBytes(), "en_US"),
            new AMQImpl.Connection.StartOk(
                Map.of("product", "x"), "PLAIN", longString("\0guest\0guest"), "en_US")),
        pair(
            new ConnectionMethods.Secure("challenge".getBytes()),
            new AMQImpl.Connection.Secure(longString("challenge"))),
        pair(
            new ConnectionMethods.SecureOk("answer".getBytes()),
            new AMQImpl.Connection.SecureOk(longString("answer"))),
        pair(
            new ConnectionMethods.Tune(2047, 131072, 60, false),
            new AMQImpl.Connection.Tune(2047, 131072, 60)),
        pair(
            new ConnectionMethods.Tune(2047, 131072, 60, true),
            new AMQImpl.Connection.TuneOk(2047, 131072, 60)),
        pair(new ConnectionMethods.Open("/prod"), new AMQImpl.Connection.Open("/prod", "", false)),
        pair(new ConnectionMethods.OpenOk(), new AMQImpl.Connection.OpenOk("")),
        pair(
            Close.connection(320, "CONNECTION_FORCED - shutdown", 0, 0),
            new AMQImpl.Connection.Close(320, "CONNECTION_FORCED - shutdown", 0, 0)),
        pair(new NoArguments(MethodId.CONNECTION_CLOSE_OK), new AMQImpl.Connection.CloseOk()),
        pair(
            new ConnectionMethods.Blocked("low on memory"),
            new AMQImpl.Connection.Blocked("low on memory")),
        pair(new NoArguments(MethodId.CONNECTION_UNBLOCKED), new AMQImpl.Connection.Unblocked()),
        pair(
            new ConnectionMethods.UpdateSecret("token".getBytes(), "refresh"),
            new AMQImpl.Connection.UpdateSecret(longString("token"), "refresh")),
        pair(
            new NoArguments(MethodId.CONNECTION_UPDATE_SECRET_OK),
            new AMQImpl.Connection.UpdateSecretOk()),
        pair(new ChannelMethods.Open(), new AMQImpl.Channel.Open("")),
        pair(new ChannelMethods.OpenOk(), new AMQImpl.Channel.OpenOk(longString(""))),
        pair(new ChannelMethods.Flow(true, false), new AMQImpl.Channel.Flow(true)),
        pair(new ChannelMethods.Flow(false, true), new AMQImpl.Channel.FlowOk(false)),
        pair(
            Close.channel(404, "NOT_FOUND - no queue 'q'", 50, 10),
            new AMQImpl.Channel.Close(404, "NOT_FOUND - no queue 'q'", 50, 10)),
        pair(new NoArguments(MethodId.CHANNEL_CLOSE_OK), new AMQImpl.Channel.CloseOk()),
        pair(new ChannelMethods.AccessRequestOk(1), new AMQImpl.Access.RequestOk(1)),
        pair(
            new ExchangeMethods.Declare("logs", "topic", false, true, false, true, false, args),
            new AMQImpl.Exchange.Declare(
                0, "logs", "topic", false, true, false, true, false, args)),
        pair(
            new ExchangeMethods.Declare("e", "direct", true, false, true, false, true, Map.of()),
            new AMQImpl.Exchange.Declare(0, "e", "direct", true, false, true, false, true, null)),
        pair(new NoArguments(MethodId.EXCHANGE_DECLARE_OK), new AMQImpl.Exchange.DeclareOk()),
        pair(
            new ExchangeMethods.Delete("logs", true, false),
            new AMQImpl.Exchange.Delete(0, "logs", true, false)),
        pair(new NoArguments(MethodId.EXCHANGE_DELETE_OK), new AMQImpl.Exchange.DeleteOk()),
        pair(
            new ExchangeMethods.Bind("dst", "src", "a.#", true, args, false),
            new AMQImpl.Exchange.Bind(0, "dst", "src", "a.#", true, args)),
        pair(new NoArguments(MethodId.EXCHANGE_BIND_OK), new AMQImpl.Exchange.BindOk()),
        pair(
            new ExchangeMethods.Bind("dst", "src", "a.#", false, Map.of(), true),
            new AMQImpl.Exchange.Unbind(0, "dst", "src", "a.#", false, null)),
        pair(new NoArguments(MethodId.EXCHANGE_UNBIND_OK), new AMQImpl.Exchange.UnbindOk()),
        pair(
            new QueueMethods.Declare("orders", false, true, false, false, false, args),
            new AMQImpl.Queue.Declare(0, "orders", false, true, false, false, false, args)),
        pair(
            new QueueMethods.Declare("", true, false, true, true, true, Map.of()),
            new AMQImpl.Queue.Declare(0, "", true, false, true, true, true, null)),
        pair(
            new QueueMethods.DeclareOk("amq.gen-x", 12, 3),
            new AMQImpl.Queue.DeclareOk("amq.gen-x", 12, 3)),
        pair(
            new QueueMethods.Bind("q", "amq.topic", "*.error", true, args, false),
            new AMQImpl.Queue.Bind(0, "q", "amq.topic", "*.error", true, args)),
        pair(new NoArguments(MethodId.QUEUE_BIND_OK), new AMQImpl.Queue.BindOk()),
        pair(
            new QueueMethods.Bind("q", "amq.topic", "*.error", false, args, true),
            new AMQImpl.Queue.Unbind(0, "q", "amq.topic", "*.error", args)),
        pair(new NoArguments(MethodId.QUEUE_UNBIND_OK), new AMQImpl.Queue.UnbindOk()),
        pair(new QueueMethods.Purge("q", true), new AMQImpl.Queue.Purge(0, "q", true)),
        pair(new QueueMethods.CountOk(MethodId.QUEUE_PURGE_OK, 77), new AMQImpl.Queue.PurgeOk(77)),
        pair(
            new QueueMethods.Delete("q", true, false, true),
            new AMQImpl.Queue.Delete(0, "q", true, false, true)),
        pair(new QueueMethods.CountOk(MethodId.QUEUE_DELETE_OK, 5), new AMQImpl.Queue.DeleteOk(5)),
        pair(new BasicMethods.Qos(0, 250, true), new AMQImpl.Basic.Qos(0, 250, true)),
        pair(new NoArguments(MethodId.BASIC_QOS_OK), new AMQImpl.Basic.QosOk()),
        pair(
            new BasicMethods.Consume("q", "ctag-1", false, true, true, false, args),
            new AMQImpl.Basic.Consume(0, "q", "ctag-1", false, true, true, false, args)),
        pair(
            new BasicMethods.ConsumerTagOk(MethodId.BASIC_CONSUME_OK, "ctag-1"),
            new AMQImpl.Basic.ConsumeOk("ctag-1")),
        pair(new BasicMethods.Cancel("ctag-1", true), new AMQImpl.Basic.Cancel("ctag-1", true)),
        pair(
            new BasicMethods.ConsumerTagOk(MethodId.BASIC_CANCEL_OK, "ctag-1"),
            new AMQImpl.Basic.CancelOk("ctag-1")),
        pair(
            new BasicMethods.Publish("amq.direct", "rk", true, false),
            new AMQImpl.Basic.Publish(0, "amq.direct", "rk", true, false)),
        pair(
            new BasicMethods.Return(312, "NO_ROUTE", "amq.direct", "rk"),
            new AMQImpl.Basic.Return(312, "NO_ROUTE", "amq.direct", "rk")),
        pair(
            new BasicMethods.Deliver("ctag-1", 1L << 40, true, "ex", "rk"),
            new AMQImpl.Basic.Deliver("ctag-1", 1L << 40, true, "ex", "rk")),
        pair(new BasicMethods.Get("q", true), new AMQImpl.Basic.Get(0, "q", true)),
        pair(
            new BasicMethods.GetOk(9, false, "", "q", 100),
            new AMQImpl.Basic.GetOk(9, false, "", "q", 100)),
        pair(new BasicMethods.GetEmpty(), new AMQImpl.Basic.GetEmpty("")),
        pair(
            new BasicMethods.Settle(MethodId.BASIC_ACK, 17, true, false),
            new AMQImpl.Basic.Ack(17, true)),
        pair(
            new BasicMethods.Settle(MethodId.BASIC_REJECT, 17, false, true),
            new AMQImpl.Basic.Reject(17, true)),
        pair(
            new BasicMethods.Settle(MethodId.BASIC_NACK, 17, true, true),
            new AMQImpl.Basic.Nack(17, true, true)),
        pair(
            new BasicMethods.Settle(MethodId.BASIC_NACK, 18, false, false),
            new AMQImpl.Basic.Nack(18, false, false)),
        pair(new BasicMethods.Recover(true, true), new AMQImpl.Basic.RecoverAsync(true)),
        pair(new BasicMethods.Recover(false, false), new AMQImpl.Basic.Recover(false)),
        pair(new NoArguments(MethodId.BASIC_RECOVER_OK), new AMQImpl.Basic.RecoverOk()),
        pair(new TxMethods.ConfirmSelect(true), new AMQImpl.Confirm.Select(true)),
        pair(new NoArguments(MethodId.CONFIRM_SELECT_OK), new AMQImpl.Confirm.SelectOk()),
        pair(new NoArguments(MethodId.TX_SELECT), new AMQImpl.Tx.Select()),
        pair(new NoArguments(MethodId.TX_SELECT_OK), new AMQImpl.Tx.SelectOk()),
        pair(new NoArguments(MethodId.TX_COMMIT), new AMQImpl.Tx.Commit()),
        pair(new NoArguments(MethodId.TX_COMMIT_OK), new AMQImpl.Tx.CommitOk()),
        pair(new NoArguments(MethodId.TX_ROLLBACK), new AMQImpl.Tx.Rollback()),
        pair(new NoArguments(MethodId.TX_ROLLBACK_OK), new AMQImpl.Tx.RollbackOk()));
  }

  private static Arguments pair(AmqpMethod ours, Method theirs) {
    return Arguments.of(ours.id().spec() + " " + ours, ours, theirs);
  }

  private static com.rabbitmq.client.LongString longString(String s) {
    return com.rabbitmq.client.impl.LongStringHelper.asLongString(s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void encodesEveryMethodByteForByteAsTheReferenceClient(
      String name, AmqpMethod ours, Method theirs) throws Exception {
    byte[] reference = theirs.toFrame(0).getPayload();
    ByteBuf buf = Unpooled.buffer();
    MethodCodec.encode(ours, buf);
    assertArrayEquals(reference, bytes(buf), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void decodesWhatTheReferenceClientEncodesAndViceVersa(String name, AmqpMethod ours, Method theirs)
      throws Exception {
    byte[] reference = theirs.toFrame(0).getPayload();
    AmqpMethod decoded = MethodCodec.decode(Unpooled.wrappedBuffer(reference));
    ByteBuf again = Unpooled.buffer();
    MethodCodec.encode(decoded, again);
    assertEquals(ours.id(), decoded.id());
    assertArrayEquals(reference, bytes(again), name + " re-encoded after decoding");

    ByteBuf buf = Unpooled.buffer();
    MethodCodec.encode(ours, buf);
    Method read = AMQImpl.readMethodFrom(new DataInputStream(new ByteArrayInputStream(bytes(buf))));
    assertEquals(theirs.protocolMethodName(), read.protocolMethodName());
    assertArrayEquals(reference, read.toFrame(0).getPayload(), name + " as the client reads it");
  }

  @Test
  void contentHeaderWithEveryBasicPropertyMatchesTheReferenceClient() throws Exception {
    Date time = new Date(1_700_000_123_000L);
    AMQP.BasicProperties theirs =
        new AMQP.BasicProperties.Builder()
            .contentType("text/plain")
            .contentEncoding("utf-8")
            .headers(Map.of("x-death-count", 2L))
            .deliveryMode(2)
            .priority(7)
            .correlationId("corr")
            .replyTo("amq.rabbitmq.reply-to")
            .expiration("60000")
            .messageId("id-1")
            .timestamp(time)
            .type("order")
            .userId("guest")
            .appId("shop")
            .build();
    BasicProperties ours =
        BasicProperties.builder()
            .contentType("text/plain")
            .contentEncoding("utf-8")
            .headers(Map.of("x-death-count", 2L))
            .deliveryMode(2)
            .priority(7)
            .correlationId("corr")
            .replyTo("amq.rabbitmq.reply-to")
            .expiration("60000")
            .messageId("id-1")
            .timestamp(time.getTime())
            .type("order")
            .userId("guest")
            .appId("shop")
            .build();
    byte[] reference = theirs.toFrame(0, 1234).getPayload();
    ByteBuf buf = Unpooled.buffer();
    new ContentHeader(60, 1234, ours).encode(buf);
    assertArrayEquals(reference, bytes(buf));

    ContentHeader decoded = ContentHeader.decode(Unpooled.wrappedBuffer(reference));
    assertEquals(60, decoded.classId());
    assertEquals(1234, decoded.bodySize());
    assertEquals(time.getTime(), decoded.properties().timestamp());
    assertEquals("amq.rabbitmq.reply-to", decoded.properties().replyTo());
    ByteBuf again = Unpooled.buffer();
    decoded.encode(again);
    assertArrayEquals(reference, bytes(again));
  }

  @Test
  void contentHeaderWithoutPropertiesMatchesTheReferenceClient() throws Exception {
    byte[] reference = new AMQP.BasicProperties().toFrame(0, 0).getPayload();
    ByteBuf buf = Unpooled.buffer();
    new ContentHeader(60, 0, BasicProperties.EMPTY).encode(buf);
    assertArrayEquals(reference, bytes(buf));
    assertEquals(
        BasicProperties.EMPTY,
        ContentHeader.decode(Unpooled.wrappedBuffer(reference)).properties());
  }

  @Test
  void fieldTableOfEveryTypeIsWrittenAsTheReferenceClientWritesIt() throws Exception {
    java.io.ByteArrayOutputStream reference = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream data = new java.io.DataOutputStream(reference);
    new com.rabbitmq.client.impl.ValueWriter(data).writeTable(table());
    data.flush();
    ByteBuf buf = Unpooled.buffer();
    WireWriter.writeTable(buf, table());
    assertArrayEquals(reference.toByteArray(), bytes(buf));
  }

  @Test
  void fieldTableOfEveryTypeWrittenByTheReferenceClientDecodes() throws Exception {
    java.io.ByteArrayOutputStream reference = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream data = new java.io.DataOutputStream(reference);
    new com.rabbitmq.client.impl.ValueWriter(data).writeTable(table());
    data.flush();
    Map<String, Object> read =
        WireReader.readTable(Unpooled.wrappedBuffer(reference.toByteArray()), "headers");
    assertSameTable(table(), read);
  }

  @Test
  void fieldTableOfEveryTypeReadsBackWithTheEngineHeaderTypes() {
    ByteBuf buf = Unpooled.buffer();
    WireWriter.writeTable(buf, table());
    assertSameTable(table(), WireReader.readTable(buf, "headers"));
  }

  private static void assertSameTable(Map<String, Object> expected, Map<String, Object> read) {
    assertEquals(expected.keySet().stream().toList(), read.keySet().stream().toList());
    for (String key : expected.keySet()) {
      if (expected.get(key) instanceof byte[] b) {
        assertArrayEquals(b, (byte[]) read.get(key), key);
      } else {
        assertEquals(expected.get(key), read.get(key), key);
      }
    }
  }

  static byte[] bytes(ByteBuf buf) {
    byte[] b = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), b);
    return b;
  }
}
