package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shared-store high availability (issue 19) under an XA workload from WildFly: a live and a backup
 * WarrenMQ server process on one fresh PostgreSQL database ({@link SharedStorePair}, from
 * broker-server's distribution, {@code warrenmq.ha.mode = shared-store}, default lease settings),
 * and one remote-mode WildFly ({@code wildfly-remote-1}, see {@link RemoteBrokerIT}) whose resource
 * adapter's {@code connectionURL} lists both brokers. Orders are placed one per JTA transaction
 * that writes a row through the XA datasource and sends the order message ({@code ha-orders.war});
 * {@code remote-orders.war}'s MDB consumes each order and records it on the broker in a JTA
 * transaction of its own. The live broker is killed with SIGKILL in the middle of the run; the
 * backup takes over, the adapter's connections and activations reconnect to it and WildFly's XA
 * recovery (a scan through the recovery listener whenever records stall) completes the branches the
 * crash left prepared.
 *
 * <p>Every transaction must have one outcome on both resources: each order whose row exists (all
 * orders answered "committed" among them) has exactly one record; each order refused on purpose or
 * failed by the crash has neither row nor record; at the end nothing is prepared in the broker
 * store ({@code warren_xa_branch}, {@code pg_prepared_xacts}) or in the datasource (H2's {@code
 * INFORMATION_SCHEMA.IN_DOUBT}). It reports the takeover time (kill to the backup's {@code is live}
 * line) and the failover time the application saw (kill to the first committed order that began
 * after the kill).
 *
 * <p>Skipped (JUnit assumption, with a line on standard output) when PostgreSQL does not answer on
 * 127.0.0.1:5432. The database ({@code warren_ha_it_<random>}) is created and dropped by the test.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedStoreHaIT {
  private static final System.Logger LOG = System.getLogger(SharedStoreHaIT.class.getName());

  private static final String CONTAINER = "wildfly-remote-1";
  private static final int OFFSET = Integer.getInteger("warren.it.remote1.port.offset", 1000);
  private static final Path HOME =
      Path.of(System.getProperty("warren.it.remote1.jboss.home", "target/wildfly-remote-1"));

  /**
   * The adapter's URL options: up to 120 reconnection attempts per connection, at most 1 s apart
   * (about 2 min in all: the default 3 s lease plus the backup's recovery of the store, which took
   * 25 s on a loaded 2-core machine), and 30 s for a handshake (10 s timed out there at boot).
   */
  static final String URL_OPTIONS =
      "?reconnectAttempts=120&maxReconnectDelay=1000&connectTimeout=30000";

  /** Committed orders the run aims at; the live broker is killed after {@link #KILL_AFTER}. */
  private static final int TARGET = 300;

  private static final int KILL_AFTER = 100;

  /** Each order whose number is 9 modulo 10 is refused on purpose (rolled back). */
  private static final int REFUSE_EVERY = 10;

  private static final int PLACERS = 4;
  private static final int WORK_MILLIS = 20;

  private static SharedStorePair pair;

  @ArquillianResource private ContainerController controller;
  @ArquillianResource private Deployer deployer;

  private enum Outcome {
    COMMITTED,
    REFUSED,
    FAILED
  }

  @Deployment(name = "ha-rar", order = 1, managed = false, testable = false)
  @TargetsContainer(CONTAINER)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = "ha-records", order = 2, managed = false, testable = false)
  @TargetsContainer(CONTAINER)
  static WebArchive records() {
    return TestWars.remoteOrders();
  }

  @Deployment(name = "ha-orders", order = 3, managed = false, testable = false)
  @TargetsContainer(CONTAINER)
  static WebArchive orders() {
    return TestWars.haOrders();
  }

  @BeforeAll
  static void startPair() throws Exception {
    if (!SharedStorePair.postgresReachable()) {
      System.out.println("SharedStoreHaIT: SKIPPED, no PostgreSQL on 127.0.0.1:5432");
    }
    Assumptions.assumeTrue(
        SharedStorePair.postgresReachable(), "SharedStoreHaIT needs PostgreSQL on 127.0.0.1:5432");
    forgetLeftoverDeployments();
    pair = SharedStorePair.start(Path.of("target", "ha-pair"));
    // Read by the server at boot (jbossArguments --properties in arquillian.xml): remote-it.cli's
    // connectionURL is ${warren.remote.url}.
    Files.writeString(
        Path.of(
            System.getProperty("warren.it.remote.properties", "target/remote-broker.properties")),
        "warren.remote.url=" + pair.url(URL_OPTIONS) + "\n");
    LOG.log(System.Logger.Level.INFO, "shared-store pair on {0}", pair.url(""));
  }

  /**
   * Removes the deployments that an earlier IT class of the same run left in the server's
   * configuration: {@link RemoteBrokerIT} stops this server with its deployments in place, and
   * WildFly would boot them again, so that deploying {@code warren-ra.rar} here would fail as a
   * duplicate.
   */
  private static void forgetLeftoverDeployments() throws IOException {
    Path config = HOME.resolve("standalone/configuration/standalone-full.xml");
    String xml = Files.readString(config);
    String cleaned = xml.replaceAll("(?s)\\s*<deployments>.*?</deployments>", "");
    if (!cleaned.equals(xml)) {
      Files.writeString(config, cleaned);
      LOG.log(System.Logger.Level.INFO, "removed earlier deployments from {0}", config);
    }
  }

  /** Arquillian stops the manual container after the class; the pair and its database go here. */
  @AfterAll
  static void stopPair() throws Exception {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  @Order(1)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theAdapterDeploysOnTheBrokerListWithoutErrors() throws Exception {
    long started = System.nanoTime();
    ServerLog log = ServerLog.of(HOME);
    long boot = log.mark();
    controller.start(CONTAINER);
    long mark = log.mark();
    deployer.deploy("ha-rar");
    deployer.deploy("ha-records");
    deployer.deploy("ha-orders");
    assertEquals(List.of(), log.warningsAboutWarrenSince(mark));
    assertEquals(List.of(), log.errorsSince(boot));
    List<String> start = log.linesContainingSince(mark, "WarrenMQ resource adapter started");
    assertEquals(1, start.size(), () -> "the adapter's start line: " + start);
    for (SharedStorePair.Node n : pair.nodes()) {
      assertTrue(
          start.get(0).contains("127.0.0.1:" + n.port()),
          () -> "the adapter names broker " + n.name() + ": " + start.get(0));
    }
    report("WildFly started and deployed", started);
  }

  @Test
  @Order(2)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyXaTransactionHasOneOutcomeOnBothResourcesAcrossAKillOfTheLiveBroker() throws Exception {
    long started = System.nanoTime();
    String run = "ha";
    TestApi api =
        new TestApi(URI.create("http://127.0.0.1:" + (8080 + OFFSET) + "/ha-orders/api/"));
    Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger committed = new AtomicInteger();
    AtomicLong killedAt = new AtomicLong();
    AtomicLong firstCommitAfterKill = new AtomicLong();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    long placeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);

    Runnable placer =
        () -> {
          try {
            while (committed.get() < TARGET && System.nanoTime() < placeDeadline) {
              int n = next.getAndIncrement();
              String id = run + "-" + n;
              boolean refuse = n % REFUSE_EVERY == REFUSE_EVERY - 1;
              long begun = System.nanoTime();
              HttpResponse<String> r =
                  api.call(
                      "POST", "place?id=" + id + "&fail=" + refuse + "&workMillis=" + WORK_MILLIS);
              switch (r.statusCode()) {
                case 200 -> {
                  outcomes.put(id, Outcome.COMMITTED);
                  committed.incrementAndGet();
                  long k = killedAt.get();
                  if (k != 0 && begun > k) {
                    firstCommitAfterKill.compareAndSet(0, System.nanoTime());
                  }
                }
                case 409 -> outcomes.put(id, Outcome.REFUSED);
                default -> {
                  outcomes.put(id, Outcome.FAILED);
                  failures.add(r.statusCode() + " " + r.body());
                  // Pacing while the broker is away: do not burn through order numbers.
                  Thread.sleep(100);
                }
              }
            }
          } catch (Throwable t) {
            errors.add(t);
          }
        };
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < PLACERS; i++) {
      Thread t = new Thread(placer, "placer-" + i);
      t.start();
      threads.add(t);
    }

    while (committed.get() < KILL_AFTER && errors.isEmpty() && threads.get(0).isAlive()) {
      Thread.sleep(20);
    }
    assertEquals(List.of(), List.copyOf(errors), "placing orders");
    int committedBeforeKill = committed.get();
    killedAt.set(System.nanoTime());
    SharedStorePair.Node killed = pair.live();
    long takeoverMillis = pair.killLiveAndAwaitTakeover();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(200));
    }
    assertEquals(List.of(), List.copyOf(errors), "placing orders");
    assertTrue(
        firstCommitAfterKill.get() != 0,
        () -> "no order begun after the kill committed; failures: " + head(failures));
    long failoverMillis =
        TimeUnit.NANOSECONDS.toMillis(firstCommitAfterKill.get() - killedAt.get());
    report(
        "node "
            + killed.name()
            + " killed after "
            + committedBeforeKill
            + " commits; takeover "
            + takeoverMillis
            + " ms, first commit after the kill "
            + failoverMillis
            + " ms",
        started);

    Set<String> rows = rows(api, run);
    Set<String> committedIds = idsWith(outcomes, Outcome.COMMITTED);
    Set<String> refusedIds = idsWith(outcomes, Outcome.REFUSED);
    Set<String> failedIds = idsWith(outcomes, Outcome.FAILED);
    assertEquals(new TreeSet<>(), minus(committedIds, rows), "committed orders without their row");
    assertEquals(new TreeSet<>(), intersection(refusedIds, rows), "refused orders with a row");
    assertEquals(
        new TreeSet<>(),
        intersection(failedIds, rows),
        () -> "failed orders with a row; failures: " + head(failures));

    Map<String, Integer> perInstance =
        OrderRecords.assertExactlyRecordedOnce(
            pair.url(URL_OPTIONS),
            run,
            rows,
            Duration.ofSeconds(120),
            Duration.ofSeconds(2),
            SharedStoreHaIT::scan);

    int[] inDoubt = awaitNothingInDoubt(api);
    assertEquals(0, inDoubt[0], "prepared branches left in the broker store");
    assertEquals(0, inDoubt[1], "in-doubt transactions left in the XA datasource");

    report(
        outcomes.size()
            + " orders ("
            + committedIds.size()
            + " committed, "
            + refusedIds.size()
            + " refused, "
            + failedIds.size()
            + " failed by the crash), node "
            + killed.name()
            + " killed after "
            + committedBeforeKill
            + " commits; takeover "
            + takeoverMillis
            + " ms, first commit after the kill "
            + failoverMillis
            + " ms; records "
            + perInstance
            + "; first failures: "
            + head(failures),
        started);
  }

  /**
   * Polls (with a recovery scan per round, up to 60 s) until neither the broker store nor the XA
   * datasource holds a prepared transaction; returns {broker store, datasource} as last read.
   */
  private static int[] awaitNothingInDoubt(TestApi api) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      int store = pair.preparedInStore();
      HttpResponse<String> r = api.call("GET", "inDoubt");
      assertEquals(200, r.statusCode(), r::body);
      int datasource = Integer.parseInt(r.body().trim());
      if ((store == 0 && datasource == 0) || System.nanoTime() > deadline) {
        return new int[] {store, datasource};
      }
      scan();
    }
  }

  private static Set<String> rows(TestApi api, String run)
      throws IOException, InterruptedException {
    HttpResponse<String> r = api.call("GET", "rows?prefix=" + run + "-");
    assertEquals(200, r.statusCode(), r::body);
    return Arrays.stream(r.body().split("\n"))
        .filter(s -> !s.isBlank())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> idsWith(Map<String, Outcome> outcomes, Outcome outcome) {
    return outcomes.entrySet().stream()
        .filter(e -> e.getValue() == outcome)
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.retainAll(b);
    return out;
  }

  private static String head(ConcurrentLinkedQueue<String> failures) {
    return failures.stream().limit(3).toList() + (failures.size() > 3 ? " ..." : "");
  }

  /** One recovery scan on the WildFly (its recovery listener); returns 1. */
  private static int scan() throws IOException {
    assertEquals("DONE", RecoveryListener.send(OFFSET, "SCAN"), CONTAINER);
    return 1;
  }

  private static void report(String what, long startedNanos) {
    String line =
        "SharedStoreHaIT: "
            + what
            + " in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)
            + " ms";
    LOG.log(System.Logger.Level.INFO, line);
    System.out.println(line);
  }
}
