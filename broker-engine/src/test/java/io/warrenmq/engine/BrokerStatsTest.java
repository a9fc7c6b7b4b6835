package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.Delivery;
import io.warrenmq.client.QueueSpec;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Broker#stats()}: the broker-wide counters behind RabbitMQ's {@code rabbitmq_channel_*},
 * {@code rabbitmq_connections_*} and {@code rabbitmq_queues_*} Prometheus metrics, counted as
 * RabbitMQ counts them, on an in-memory broker (no store: {@link Broker#storeStats()} is none).
 */
@Timeout(30)
class BrokerStatsTest {
  @Test
  void publishesDeliveriesAcksReturnsAndLifecyclesAreCountedOnce() throws Exception {
    try (Broker broker = new Broker(BrokerConfig.named("stats"))) {
      assertEquals(MessageStore.StoreStats.NONE, broker.storeStats());
      BrokerStats zero = broker.stats();
      assertEquals(0, zero.published());
      assertEquals(0, zero.xaBranchesInDoubt());
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      try (Connection c = broker.newConnection("/", "t")) {
        Channel ch = c.createChannel();
        ch.queueDeclare(QueueSpec.durable("q"));
        ch.queueDeclare(QueueSpec.durable("q")); // a re-declare creates nothing
        LinkedBlockingQueue<Object> returns = new LinkedBlockingQueue<>();
        ch.addReturnListener(r -> returns.add(r));
        ch.basicPublish("", "nowhere", true, null, bytes("returned"));
        ch.basicPublish("", "nowhere", false, null, bytes("dropped"));
        ch.txSelect();
        ch.basicPublish("", "q", false, null, bytes("m1"));
        ch.basicPublish("", "q", false, null, bytes("m2"));
        ch.txCommit();
        assertNotNull(returns.poll(5, TimeUnit.SECONDS));
        Channel consumer = c.createChannel();
        consumer.basicConsume("q", false, null, false, null, got::add);
        Delivery first = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(first);
        consumer.basicReject(first.deliveryTag(), true); // back, redelivered
        for (int i = 0; i < 2; i++) {
          Delivery d = got.poll(5, TimeUnit.SECONDS);
          assertNotNull(d);
          consumer.basicAck(d.deliveryTag(), false);
        }
        assertNull(ch.basicGet("q", true)); // empty
        ch.queueDelete("q", false, false);
      }
      BrokerStats s = broker.stats();
      assertEquals(4, s.published(), "2 unroutable + 2 committed");
      assertEquals(1, s.unroutableReturned());
      assertEquals(1, s.unroutableDropped());
      assertEquals(0, s.confirmed(), "no confirm mode");
      assertEquals(3, s.deliveredManualAck(), "m1 twice, m2 once");
      assertEquals(0, s.deliveredAutoAck());
      assertEquals(1, s.redelivered());
      assertEquals(2, s.acked());
      assertEquals(1, s.getEmpty());
      assertEquals(0, s.getAutoAck() + s.getManualAck());
      assertEquals(1, s.queuesDeclared());
      assertEquals(1, s.queuesDeleted());
      assertEquals(1, s.connectionsOpened());
      assertEquals(1, s.connectionsClosed());
      assertTrue(broker.connections().isEmpty());
    }
  }
}
