package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.server.HaPair;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JMS wire client in front of a shared-store HA pair (issue 19, "Clients"): two standalone
 * servers ({@link HaPair}, from broker-server's tests) on a fresh database of the PostgreSQL server
 * on 127.0.0.1:5432 (skipped without it), and one connection URL listing both brokers with {@code
 * reconnectAttempts=-1}. A loop of persistent (synchronous) sends and an AUTO_ACKNOWLEDGE consumer
 * go on while the live broker is killed with SIGKILL three times (each time started again at once,
 * to come back as the backup).
 *
 * <p>What must hold, by the client's documented rules ("Several brokers, automatic reconnection" in
 * README): every send that returned (the broker confirmed it) is received; a message received twice
 * is {@code JMSRedelivered} the second time; a send that threw may or may not arrive. Each kill
 * prints {@code JMS HA FAILOVER kill <n>: <ms> ms}, from the kill to the first send that began
 * after the killed JVM was gone and returned.
 */
class WireHaFailoverTest {
  private static final int KILLS = 3;

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void persistentSendsAndAConsumerFollowTheBackupAcrossKillsOfTheLiveBroker() throws Exception {
    Assumptions.assumeTrue(
        HaPair.sharedPostgresReachable(), "PostgreSQL not reachable on 127.0.0.1:5432: skipped");
    String database = HaPair.createDatabase("warren_jms_ha");
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, Long> confirmedAt = new ConcurrentHashMap<>();
    Map<String, Integer> received = new ConcurrentHashMap<>();
    List<String> duplicatesNotRedelivered = new ArrayList<>();
    AtomicLong failedSends = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Long> failoverMs = new ArrayList<>();
    try (HaPair pair =
        HaPair.create("jms-ha", HaPair.Mode.fromSystemProperty(), database, List.of())) {
      pair.start();
      String url =
          "amqp://guest:guest@"
              + pair.hostPorts()
              + "?reconnectAttempts=-1&reconnectDelay=50&maxReconnectDelay=500&heartbeat=2";
      try (Connection consumerConnection = WarrenConnectionFactory.forUrl(url).createConnection();
          Connection producerConnection = WarrenConnectionFactory.forUrl(url).createConnection()) {
        Session cs = consumerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = cs.createQueue("jms-ha");
        cs.createConsumer(q)
            .setMessageListener(
                m -> {
                  try {
                    String id = ((TextMessage) m).getText();
                    if (received.merge(id, 1, Integer::sum) > 1 && !m.getJMSRedelivered()) {
                      synchronized (duplicatesNotRedelivered) {
                        duplicatesNotRedelivered.add(id);
                      }
                    }
                  } catch (JMSException e) {
                    failure.compareAndSet(null, e);
                  }
                });
        consumerConnection.start();
        Session ps = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = ps.createProducer(q);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        Thread sender =
            new Thread(
                () -> {
                  for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                    String id = "jms-" + i;
                    try {
                      sentAt.put(id, System.nanoTime());
                      producer.send(ps.createTextMessage(id));
                      confirmedAt.put(id, System.nanoTime());
                      Thread.sleep(5);
                    } catch (JMSException e) {
                      failedSends.incrementAndGet(); // in flight at the kill: outcome unknown
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      failure.compareAndSet(null, e);
                      return;
                    }
                  }
                },
                "jms-ha-sender");
        sender.start();
        try {
          awaitCount(confirmedAt, 200, failure);
          for (int kill = 1; kill <= KILLS; kill++) {
            HaPair.Takeover t = pair.killLiveAndTakeOver(Duration.ofSeconds(90));
            long first = awaitFirstConfirmAfter(sentAt, confirmedAt, t.deadAtNanos(), failure);
            long ms = TimeUnit.NANOSECONDS.toMillis(first - t.killedAtNanos());
            failoverMs.add(ms);
            System.out.printf(
                "JMS HA FAILOVER kill %d: %d ms from kill -9 of node %s to the first send"
                    + " confirmed by node %s (epoch %d)%n",
                kill, ms, t.killed(), t.live(), t.epoch());
            awaitCount(confirmedAt, confirmedAt.size() + 200, failure);
          }
        } finally {
          sender.interrupt();
          sender.join(30_000);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!received.keySet().containsAll(confirmedAt.keySet())
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      }
    } finally {
      HaPair.dropDatabase(database);
    }
    if (failure.get() != null) {
      throw new AssertionError("a client thread failed", failure.get());
    }
    List<String> lost = new ArrayList<>();
    for (String id : confirmedAt.keySet()) {
      if (!received.containsKey(id)) {
        lost.add(id);
      }
    }
    System.out.printf(
        "JMS HA FAILOVER: sends returned %d, threw %d, received %d distinct, lost %d,"
            + " failover ms %s%n",
        confirmedAt.size(), failedSends.get(), received.size(), lost.size(), failoverMs);
    assertEquals(List.of(), lost, "sends that returned and were never received");
    assertEquals(List.of(), duplicatesNotRedelivered, "received again without JMSRedelivered");
    for (String id : received.keySet()) {
      assertTrue(sentAt.containsKey(id), "received, never sent: " + id);
    }
  }

  private static void awaitCount(Map<String, Long> map, int n, AtomicReference<Throwable> failure)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (map.size() < n) {
      if (failure.get() != null) {
        throw new AssertionError("a client thread failed", failure.get());
      }
      assertTrue(System.nanoTime() < deadline, "only " + map.size() + " of " + n + " sends");
      Thread.sleep(10);
    }
  }

  /** When the first send that began after {@code since} returned (nanoTime). */
  private static long awaitFirstConfirmAfter(
      Map<String, Long> sentAt,
      Map<String, Long> confirmedAt,
      long since,
      AtomicReference<Throwable> failure)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      long first = Long.MAX_VALUE;
      for (Map.Entry<String, Long> e : confirmedAt.entrySet()) {
        Long sent = sentAt.get(e.getKey());
        if (sent != null
            && sent - since > 0
            && (first == Long.MAX_VALUE || e.getValue() - first < 0)) {
          first = e.getValue();
        }
      }
      if (first != Long.MAX_VALUE) {
        return first;
      }
      if (failure.get() != null) {
        throw new AssertionError("a client thread failed", failure.get());
      }
      assertTrue(System.nanoTime() < deadline, "no send confirmed after the kill");
      Thread.sleep(10);
    }
  }
}
