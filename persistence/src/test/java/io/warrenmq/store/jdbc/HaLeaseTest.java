package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease of shared-store HA on PostgreSQL (a fresh schema per test): acquire, renew and the
 * epoch bump; a backup's {@link LeaseWatch} that takes over only after the live node stopped
 * renewing for the lease timeout, never while it renews, and not after it merely lost sight of the
 * database; the fencing that refuses every write of a deposed store, so that nothing of it lands.
 */
@Timeout(120)
class HaLeaseTest {
  private static final long LEASE_MS = 1_500;
  private static final long RENEW_MS = 300;
  private static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  @TempDir Path dir;
  private String schema;
  private JdbcStoreConfig store;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void freshSchema() {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    schema = Databases.createSchema();
    store = Databases.postgres(schema);
  }

  @AfterEach
  void dropSchema() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (schema != null) {
      Databases.dropSchema(schema);
    }
  }

  private HaLease lease(String node) {
    HaLease lease = HaLease.open(store, new HaLeaseConfig(node, LEASE_MS, RENEW_MS));
    open.add(lease);
    return lease;
  }

  @Test
  void theFirstNodeCreatesEpochOneAndEachTakeoverBumpsTheEpochAndDeposesTheOldOwner()
      throws Exception {
    HaLease a = lease("a");
    assertEquals(Optional.empty(), a.read());
    assertTrue(a.acquire(Optional.empty()));
    assertEquals(1, a.epoch());
    assertTrue(a.renew());
    assertTrue(a.renew());
    assertEquals(Optional.of(new HaLease.State(1, "a", 2)), a.read());

    HaLease b = lease("b");
    assertFalse(
        b.acquire(Optional.of(new HaLease.State(1, "a", 1))),
        "a pair the live node renewed since is not taken over");
    assertFalse(b.acquire(Optional.empty()), "the row exists: no second epoch 1");
    assertTrue(b.acquire(b.read()));
    assertEquals(2, b.epoch());
    assertEquals(Optional.of(new HaLease.State(2, "b", 0)), a.read());
    assertFalse(a.renew(), "the deposed node's renewal finds the newer epoch");
    assertTrue(b.renew());
    assertThrows(IllegalStateException.class, () -> b.acquire(b.read()));
  }

  @Test
  void aBackupDoesNotTakeOverWhileTheLiveRenewsAndTakesOverOnlyAfterItStoppedForTheLeaseTimeout()
      throws Exception {
    HaLease live = lease("live");
    assertTrue(live.acquire(live.read()));
    AtomicBoolean renewing = new AtomicBoolean(true);
    AtomicLong lastRenewSent = new AtomicLong(System.nanoTime());
    Thread renewer =
        new Thread(
            () -> {
              while (renewing.get()) {
                long sent = System.nanoTime();
                try {
                  if (live.renew()) {
                    lastRenewSent.set(sent);
                  }
                } catch (SQLException e) {
                  // a lost renewal: the backup may see the lease age
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RENEW_MS));
              }
            },
            "renewer");
    renewer.start();

    HaLease backup = lease("backup");
    LeaseWatch watch = new LeaseWatch(backup.config());
    long watchUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * LEASE_MS);
    while (System.nanoTime() < watchUntil) {
      poll(backup, watch);
      assertFalse(watch.expired(), "the live node renews: " + watch.last());
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RENEW_MS));
    }

    renewing.set(false);
    renewer.join();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!watch.expired()) {
      assertTrue(System.nanoTime() < deadline, "the backup never saw the lease expire");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RENEW_MS));
      poll(backup, watch);
    }
    long stale = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRenewSent.get());
    assertTrue(stale >= LEASE_MS, "expired only " + stale + " ms after the last renewal");
    assertTrue(backup.acquire(watch.last()));
    assertEquals(2, backup.epoch());
    assertFalse(live.renew());
  }

  @Test
  void aBackupThatLostSightOfTheDatabaseStartsWatchingAgainAndLeavesARenewingLiveNodeAlone()
      throws Exception {
    HaLease live = lease("live");
    assertTrue(live.acquire(live.read()));
    HaLease backup = lease("backup");
    // the database "restarts" for 1.5 lease timeouts: the live node cannot renew, and every read
    // of the backup fails (its backend is terminated before each read), then the live node renews
    LeaseWatch cut = new LeaseWatch(backup.config());
    poll(backup, cut);
    long outageEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEASE_MS * 3 / 2);
    int failures = 0;
    while (System.nanoTime() < outageEnd) {
      terminateBackendsOf("backup");
      if (!poll(backup, cut)) {
        failures++;
      }
      assertFalse(cut.expired());
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RENEW_MS));
    }
    assertTrue(failures > 0, "the outage was not seen by the backup");
    poll(backup, cut); // the database is back: the same pair as before the outage
    assertFalse(cut.expired(), "the outage must not count as the live node's silence");
    assertTrue(live.renew(), "the live node renews once the database is back");
    poll(backup, cut);
    assertFalse(cut.expired());

    // the control: the same silence of the live node, seen by a backup that kept reading, expires
    LeaseWatch seen = new LeaseWatch(backup.config());
    poll(backup, seen);
    long silenceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEASE_MS * 3 / 2);
    while (System.nanoTime() < silenceEnd) {
      assertTrue(poll(backup, seen));
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RENEW_MS));
    }
    poll(backup, seen);
    assertTrue(seen.expired(), "a backup that saw the whole silence takes over");
  }

  @Test
  void aReleasedLeaseIsTakenOverAtOnceAndAMissingRowIsFreeToTake() throws Exception {
    HaLease a = lease("a");
    LeaseWatch watch = new LeaseWatch(a.config());
    poll(a, watch);
    assertTrue(watch.expired(), "no row yet: the first node takes it at once");
    assertTrue(a.acquire(watch.last()));
    a.release();
    HaLease b = lease("b");
    LeaseWatch bw = new LeaseWatch(b.config());
    poll(b, bw);
    assertEquals(Optional.of(new HaLease.State(1, "", 0)), bw.last());
    assertTrue(bw.expired());
    assertTrue(b.acquire(bw.last()));
    assertEquals(2, b.epoch());
  }

  @Test
  void everyWriteOfADeposedStoreIsRefusedAndNothingOfItIsInTheTables() throws Exception {
    HaLease a = lease("a");
    assertTrue(a.acquire(a.read()));
    AtomicReference<StoreFencedException> fenced = new AtomicReference<>();
    a.onFenced(fenced::set);
    BrokerConfig configA = BrokerConfig.named("ha-a");
    JdbcMessageStore storeA = JdbcMessageStore.open(store, configA.name(), a);
    Broker brokerA = new Broker(configA, storeA);
    open.add(brokerA);
    Connection conn = brokerA.newConnection("/", "producer");
    Channel ch = conn.createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.confirmSelect();
    ch.basicPublish("", "q", false, PERSISTENT, "before".getBytes(StandardCharsets.UTF_8));
    assertTrue(ch.waitForConfirms(10_000), "confirmed while a is live");
    assertNull(fenced.get());

    HaLease b = lease("b");
    assertTrue(b.acquire(b.read())); // a is deposed (in real life: a stopped renewing)

    ch.basicPublish("", "q", false, PERSISTENT, "after".getBytes(StandardCharsets.UTF_8));
    assertFalse(ch.waitForConfirms(10_000), "a's publish after the takeover must be nacked");
    StoreFencedException e = fenced.get();
    assertNotNull(e, "the fencing was reported");
    assertEquals(1, e.epoch());
    assertEquals(2, e.currentEpoch());
    assertEquals("b", e.currentOwner());
    ExecutionException topology =
        assertThrows(
            ExecutionException.class,
            () ->
                storeA
                    .storeExchange("/", ExchangeSpec.durable("x", "fanout"))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
    assertInstanceOf(StoreFencedException.class, topology.getCause());
    assertEquals(1, StoreProbe.count(store, "warren_message"), "only the confirmed message");
    assertEquals(0, StoreProbe.countWhere(store, "warren_exchange", "name = 'x'"));

    // the new live node recovers what a confirmed, and nothing else
    BrokerConfig configB = BrokerConfig.named("ha-b");
    try (Broker brokerB = new Broker(configB, JdbcMessageStore.open(store, configB.name(), b));
        Connection cb = brokerB.newConnection("/", "consumer")) {
      Channel chb = cb.createChannel();
      GetResponse got = chb.basicGet("q", true);
      assertNotNull(got);
      assertEquals("before", new String(got.delivery().body(), StandardCharsets.UTF_8));
      assertNull(chb.basicGet("q", true));
    }
  }

  @Test
  void anH2StoreIsRefusedForHighAvailability() {
    JdbcStoreConfig h2 = JdbcStoreConfig.h2(dir);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HaLease.open(h2, HaLeaseConfig.of("n")));
    assertTrue(e.getMessage().contains("PostgreSQL"), e.getMessage());
  }

  @Test
  void aRenewIntervalOfHalfTheLeaseTimeoutOrMoreIsRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new HaLeaseConfig("n", 2_000, 1_000).validate());
    assertTrue(e.getMessage().contains("renewIntervalMs"), e.getMessage());
  }

  /** One read of the lease fed to the watch; false if it failed. */
  private static boolean poll(HaLease lease, LeaseWatch watch) {
    long sent = System.nanoTime();
    try {
      Optional<HaLease.State> state = lease.read();
      watch.seen(state, sent, System.nanoTime());
      return true;
    } catch (SQLException e) {
      watch.failed();
      return false;
    }
  }

  private void terminateBackendsOf(String node) throws SQLException {
    try (java.sql.Connection c = StoreProbe.connect(store);
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name ="
              + " 'warrenmq-ha "
              + node
              + "'");
    }
  }
}
