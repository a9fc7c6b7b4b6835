package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A consumer that does not read its socket never makes the broker buffer without bound: once the
 * socket holds {@link WarrenServer#WRITE_BUFFER_HIGH} bytes unsent, deliveries to it pause and the
 * messages stay in their queue; when it reads again they all arrive, in order. The consumer is
 * RabbitMQ's Java client, unchanged, over a socket whose reads the test holds back.
 */
@Timeout(120)
class SlowConsumerTest {
  private static final int MESSAGE = 64 * 1024;
  private static final int COUNT = 800; // 50 MiB

  private Broker broker;
  private WarrenServer server;

  @BeforeEach
  void start() {
    broker = new Broker(BrokerConfig.named("slow-consumer"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  @AfterEach
  void stop() {
    server.close();
    broker.close();
  }

  /** Holds back every read of the sockets it opens while closed. */
  private static final class ReadGate extends SocketFactory {
    private boolean open = true;

    synchronized void close() {
      open = false;
    }

    synchronized void open() {
      open = true;
      notifyAll();
    }

    private synchronized void await() throws IOException {
      try {
        while (!open) {
          wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public InputStream getInputStream() throws IOException {
          return new FilterInputStream(super.getInputStream()) {
            @Override
            public int read() throws IOException {
              await();
              return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              await();
              return super.read(b, off, len);
            }
          };
        }
      };
    }

    @Override
    public Socket createSocket(String host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(java.net.InetAddress host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(
        java.net.InetAddress address, int port, java.net.InetAddress local, int localPort) {
      throw new UnsupportedOperationException();
    }
  }

  private ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setAutomaticRecoveryEnabled(false);
    f.setRequestedHeartbeat(0);
    return f;
  }

  @Test
  void anAutoAckConsumerThatDoesNotReadPausesItsDeliveriesAndGetsThemAllWhenItReads()
      throws Exception {
    ReadGate gate = new ReadGate();
    ConnectionFactory slowFactory = factory();
    slowFactory.setSocketFactory(gate);
    // a small receive window, so that the kernel does not hide the backlog in its buffers
    slowFactory.setSocketConfigurator(s -> s.setReceiveBufferSize(64 * 1024));
    try (Connection slow = slowFactory.newConnection();
        Connection fast = factory().newConnection()) {
      Channel publisher = fast.createChannel();
      publisher.queueDeclare("backlog", false, false, false, null);
      BlockingQueue<Integer> received = new LinkedBlockingQueue<>();
      slow.createChannel()
          .basicConsume(
              "backlog",
              true, // no ack and no prefetch limit: nothing but the socket holds deliveries back
              (tag, d) -> received.add(ByteBuffer.wrap(d.getBody()).getInt()),
              tag -> {});
      gate.close();
      try {
        publisher.confirmSelect();
        byte[] body = new byte[MESSAGE];
        for (int i = 0; i < COUNT; i++) {
          ByteBuffer.wrap(body).putInt(0, i);
          publisher.basicPublish("", "backlog", null, body.clone());
        }
        publisher.waitForConfirmsOrDie(60_000);

        int ready = publisher.queueDeclarePassive("backlog").getMessageCount();
        assertTrue(ready >= COUNT / 2, "most of the backlog stays in the queue, ready: " + ready);
        long bound = WarrenServer.WRITE_BUFFER_HIGH + 2L * (MESSAGE + 1024);
        assertTrue(
            server.peakOutboundBufferedBytes() <= bound,
            "unsent bytes peaked at " + server.peakOutboundBufferedBytes() + ", bound " + bound);
        assertTrue(server.outboundBufferedBytes() <= bound);

        gate.open();
        for (int i = 0; i < COUNT; i++) {
          assertEquals(i, received.poll(30, TimeUnit.SECONDS), "message order");
        }
        assertEquals(0, publisher.queueDeclarePassive("backlog").getMessageCount());
      } finally {
        gate.open(); // else closing the connection would wait for a close-ok it cannot read
      }
    }
  }
}
