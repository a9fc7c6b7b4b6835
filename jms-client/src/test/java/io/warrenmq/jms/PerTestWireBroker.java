package io.warrenmq.jms;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.QueueInfo;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh WarrenMQ server in this JVM for each test (on an ephemeral port of 127.0.0.1), the XA
 * connections a test opens to it (directly or through a {@link TcpProxy}), closed after the test
 * with everything else it registered, and the queue depths it reads from the broker. For the tests
 * of the wire transport's pipelined XA calls, which cut and hold connections and so must not share
 * a broker.
 */
abstract class PerTestWireBroker {
  final List<AutoCloseable> toClose = new ArrayList<>();
  Broker broker;
  WarrenServer server;

  @BeforeEach
  void startBroker() {
    broker = new Broker(new BrokerConfig("per-test-" + UUID.randomUUID(), 2));
    server = WarrenServer.start(broker, ServerConfig.defaults().withListener("127.0.0.1", 0));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        // best effort
      }
    }
    server.close();
    broker.close();
  }

  /** A started XA connection to {@code port} (the server's or a proxy's), closed after the test. */
  WarrenConnection connect(int port) throws Exception {
    WarrenConnection c =
        (WarrenConnection)
            WarrenConnectionFactory.forUrl("amqp://guest:guest@127.0.0.1:" + port)
                .createXAConnection();
    toClose.add(c);
    c.start();
    return c;
  }

  /** A proxy to the server, closed after the test. */
  TcpProxy proxy() throws Exception {
    TcpProxy proxy = new TcpProxy(server.port());
    toClose.add(proxy);
    return proxy;
  }

  long ready(String queue) {
    return broker.queue("/", queue).orElseThrow().messagesReady();
  }

  /** Ready and unacknowledged messages of {@code queue}. */
  long depth(String queue) {
    QueueInfo q = broker.queue("/", queue).orElseThrow();
    return q.messagesReady() + q.messagesUnacknowledged();
  }
}
