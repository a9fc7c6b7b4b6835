package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection negotiation with RabbitMQ's own Java client, unchanged (AMQP 0-9-1 section 2.2.4 and
 * class connection; RabbitMQ's "Connections" and "Authentication" docs): protocol header, server
 * properties and capabilities, SASL login against the broker's users, tune, virtual host, channel
 * open and close, heartbeats, and the broker-side close on shutdown.
 */
@Timeout(60)
class ConnectionNegotiationTest {
  private Broker broker;
  private WarrenServer server;
  private final List<Connection> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    broker = new Broker(BrokerConfig.named("wire"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  @AfterEach
  void stop() {
    for (Connection c : clients) {
      if (c.isOpen()) {
        c.abort();
      }
    }
    server.close();
    broker.close();
  }

  private ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setUsername("guest");
    f.setPassword("guest");
    f.setAutomaticRecoveryEnabled(false);
    return f;
  }

  private Connection connect(ConnectionFactory f) throws Exception {
    Connection c = f.newConnection();
    clients.add(c);
    return c;
  }

  @Test
  void guestConnectsFromLoopbackAndSeesTheServerPropertiesAndNegotiatedLimits() throws Exception {
    Connection c = connect(factory());
    Map<String, Object> props = c.getServerProperties();
    assertEquals("WarrenMQ", props.get("product").toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> capabilities = (Map<String, Object>) props.get("capabilities");
    for (String capability :
        List.of(
            "publisher_confirms",
            "exchange_exchange_bindings",
            "basic.nack",
            "consumer_cancel_notify",
            "per_consumer_qos",
            "authentication_failure_close",
            "connection.blocked",
            "direct_reply_to",
            "warrenmq.dtx",
            "warrenmq.selectors",
            "warrenmq.browse",
            "warrenmq.release",
            "warrenmq.prefetch_size")) {
      assertEquals(true, capabilities.get(capability), capability);
    }
    assertEquals(null, capabilities.get("consumer_priorities"), "not implemented");
    assertEquals(131072, c.getFrameMax());
    assertEquals(2047, c.getChannelMax());
    assertEquals(60, c.getHeartbeat());
  }

  @Test
  void clientLimitsLowerThanTheServersAreNegotiatedDown() throws Exception {
    ConnectionFactory f = factory();
    f.setRequestedFrameMax(8192);
    f.setRequestedChannelMax(10);
    f.setRequestedHeartbeat(5);
    Connection c = connect(f);
    assertEquals(8192, c.getFrameMax());
    assertEquals(10, c.getChannelMax());
    assertEquals(5, c.getHeartbeat());
  }

  @Test
  void wrongPasswordIsRefusedWithAccessRefusedAndTheConnectionClosed() {
    ConnectionFactory f = factory();
    f.setPassword("not-guest");
    AuthenticationFailureException e =
        assertThrows(AuthenticationFailureException.class, f::newConnection);
    assertTrue(e.getMessage().contains("ACCESS_REFUSED"), e.getMessage());
    assertFalse(e.getMessage().contains("not-guest"), "the password is never echoed");
  }

  @Test
  void unknownUserIsRefusedTheSameWayAsAWrongPassword() {
    ConnectionFactory f = factory();
    f.setUsername("nobody");
    assertThrows(AuthenticationFailureException.class, f::newConnection);
  }

  @Test
  void unknownVirtualHostIsNotAllowed() {
    ConnectionFactory f = factory();
    f.setVirtualHost("/missing");
    IOException e = assertThrows(IOException.class, f::newConnection);
    ShutdownSignalException s = assertInstanceOf(ShutdownSignalException.class, e.getCause());
    com.rabbitmq.client.AMQP.Connection.Close close =
        (com.rabbitmq.client.AMQP.Connection.Close) s.getReason();
    assertEquals(530, close.getReplyCode());
    assertTrue(close.getReplyText().startsWith("NOT_ALLOWED - "), close.getReplyText());
  }

  @Test
  void channelsOpenAndCloseAndTheConnectionClosesNormally() throws Exception {
    Connection c = connect(factory());
    com.rabbitmq.client.Channel one = c.createChannel();
    com.rabbitmq.client.Channel two = c.createChannel(7);
    assertEquals(1, one.getChannelNumber());
    assertEquals(7, two.getChannelNumber());
    one.close();
    assertFalse(one.isOpen());
    assertTrue(two.isOpen());
    c.close();
    assertFalse(c.isOpen());
  }

  @Test
  void idleConnectionWithHeartbeatsStaysOpenForSeveralIntervals() throws Exception {
    ConnectionFactory f = factory();
    f.setRequestedHeartbeat(1);
    Connection c = connect(f);
    CountDownLatch closed = new CountDownLatch(1);
    c.addShutdownListener(cause -> closed.countDown());
    assertFalse(closed.await(3500, TimeUnit.MILLISECONDS), "closed while heartbeating");
    assertTrue(c.isOpen());
  }

  @Test
  void silentPeerIsDisconnectedAfterTwoMissedHeartbeats() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      RawClient raw = new RawClient(s);
      raw.handshake(1);
      long start = System.nanoTime();
      // read (and ignore) the server's heartbeats until it closes the socket
      while (raw.readFrameType() >= 0) {
        // heartbeats
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertTrue(seconds >= 1 && seconds <= 5, "closed after " + seconds + " s");
    }
  }

  @Test
  void wrongProtocolHeaderIsAnsweredWithOursAndTheSocketClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 8, 0});
      InputStream in = s.getInputStream();
      assertArrayEquals(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}, in.readNBytes(8));
      assertEquals(-1, in.read());
    }
  }

  @Test
  void shutdownClosesClientsWithConnectionForced() throws Exception {
    Connection c = connect(factory());
    CountDownLatch closed = new CountDownLatch(1);
    ShutdownSignalException[] signal = new ShutdownSignalException[1];
    c.addShutdownListener(
        cause -> {
          signal[0] = cause;
          closed.countDown();
        });
    server.close();
    assertTrue(closed.await(10, TimeUnit.SECONDS));
    assertTrue(signal[0].getMessage().contains("320"), signal[0].getMessage());
  }

  /** Just enough AMQP by hand to negotiate a connection and then stay silent. */
  private static final class RawClient {
    private final DataInputStream in;
    private final OutputStream out;

    RawClient(Socket s) throws IOException {
      in = new DataInputStream(s.getInputStream());
      out = s.getOutputStream();
    }

    void handshake(int heartbeat) throws IOException {
      out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
      readFrameType(); // start
      byte[] response = "\0guest\0guest".getBytes();
      java.io.ByteArrayOutputStream args = new java.io.ByteArrayOutputStream();
      java.io.DataOutputStream a = new java.io.DataOutputStream(args);
      a.writeShort(10);
      a.writeShort(11);
      a.writeInt(0); // empty client properties
      a.writeByte(5);
      a.writeBytes("PLAIN");
      a.writeInt(response.length);
      a.write(response);
      a.writeByte(5);
      a.writeBytes("en_US");
      frame(args.toByteArray());
      readFrameType(); // tune
      args.reset();
      a.writeShort(10);
      a.writeShort(31);
      a.writeShort(0);
      a.writeInt(131072);
      a.writeShort(heartbeat);
      frame(args.toByteArray());
      args.reset();
      a.writeShort(10);
      a.writeShort(40);
      a.writeByte(1);
      a.writeBytes("/");
      a.writeByte(0);
      a.writeByte(0);
      frame(args.toByteArray());
      readFrameType(); // open-ok
    }

    void frame(byte[] payload) throws IOException {
      java.io.DataOutputStream d = new java.io.DataOutputStream(out);
      d.writeByte(1);
      d.writeShort(0);
      d.writeInt(payload.length);
      d.write(payload);
      d.writeByte(0xce);
      d.flush();
    }

    /** The next frame's type, its payload skipped; -1 at the end of the stream. */
    int readFrameType() throws IOException {
      int type = in.read();
      if (type < 0) {
        return -1;
      }
      in.readUnsignedShort();
      int size = in.readInt();
      in.readNBytes(size + 1);
      return type;
    }
  }

  @SuppressWarnings("unused")
  private static String text(LongString s) {
    return s.toString();
  }
}
