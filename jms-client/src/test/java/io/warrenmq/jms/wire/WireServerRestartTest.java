package io.warrenmq.jms.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.jms.internal.InVmBrokers;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WarrenMQ server with the JDBC store (H2 file) is stopped and started again between a persistent
 * send and its receive, both over {@code amqp://}: the message survives; the client connected while
 * the server stopped is told through its {@code ExceptionListener}.
 */
@Timeout(60)
class WireServerRestartTest {
  @TempDir Path dataDir;

  private Broker startBroker(String name) {
    return InVmBrokers.getOrStart(
        name,
        Map.of("store", "jdbc", "dataDir", dataDir.toString(), "durability", "PROCESS_CRASH"));
  }

  @Test
  void aPersistentMessageSurvivesAServerRestartAndTheConnectedClientIsTold() throws Exception {
    String name = "wire-restart-" + System.nanoTime();
    Broker broker = startBroker(name);
    WarrenServer server = WarrenServer.start(broker, ServerConfig.defaults());
    CountDownLatch told = new CountDownLatch(1);
    AtomicReference<JMSException> error = new AtomicReference<>();
    Connection watcher;
    try (Connection c =
        WarrenConnectionFactory.forUrl("amqp://127.0.0.1:" + server.port()).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue("wire.durable.orders");
      MessageProducer p = s.createProducer(q);
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      p.send(s.createTextMessage("order 1"));
      TextMessage transientOne = s.createTextMessage("gone");
      p.send(transientOne, DeliveryMode.NON_PERSISTENT, 4, 0);
      watcher =
          WarrenConnectionFactory.forUrl("amqp://127.0.0.1:" + server.port()).createConnection();
      watcher.setExceptionListener(
          (ExceptionListener)
              e -> {
                error.set(e);
                told.countDown();
              });
    } finally {
      server.close();
      InVmBrokers.stop(name);
    }
    assertTrue(told.await(10, TimeUnit.SECONDS), "ExceptionListener told of the lost connection");
    assertNotNull(error.get());
    watcher.close();

    Broker again = startBroker(name);
    WarrenServer restarted = WarrenServer.start(again, ServerConfig.defaults());
    try (Connection c =
        WarrenConnectionFactory.forUrl("amqp://guest:guest@127.0.0.1:" + restarted.port() + "/")
            .createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue("wire.durable.orders"));
      TextMessage got = (TextMessage) consumer.receive(10_000);
      assertNotNull(got, "the persistent message survived");
      assertEquals("order 1", got.getText());
      assertNull(consumer.receive(300), "the non-persistent one did not");
    } finally {
      restarted.close();
      InVmBrokers.stop(name);
    }
  }
}
