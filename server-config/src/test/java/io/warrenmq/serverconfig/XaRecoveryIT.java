package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.jms.WarrenConnection;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.serverconfig.recovery.Halter;
import io.warrenmq.serverconfig.recovery.RecoveryOrders;
import io.warrenmq.store.jdbc.JdbcMessageStore;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.transaction.xa.XAResource;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * XA crash recovery inside WildFly: a JTA transaction over a test resource that halts the JVM in
 * its commit (the {@link Halter}, enlisted first), WarrenMQ (the resource adapter) and H2 (an XA
 * datasource on a file database) is cut between its two phases by the server JVM halting; after a
 * restart on the same directories WildFly's transaction recovery, which finds WarrenMQ's prepared
 * branch through the adapter's recovery connection, commits all three: the message and the row
 * exist exactly once, and no branch is left in doubt in WarrenMQ, H2 or Narayana's log.
 *
 * <p>Runs on its own server, the Arquillian container {@code wildfly-recovery} (mode manual, see
 * {@code arquillian.xml} and {@code wildfly/recovery-it.cli}), so that the suite's server is not
 * crashed. The test starts it, deploys the RAR and {@code recovery-orders.war} (classes in {@code
 * io.warrenmq.serverconfig.recovery}), halts it with two transactions in doubt, starts it again
 * (WildFly redeploys both from its content repository), has the recovery listener run scans ({@code
 * SCAN} on the txn-recovery-environment port, periodic recovery being off for an hour after boot),
 * checks, then undeploys and stops it, and finally opens the broker's store in this JVM.
 */
@ExtendWith(ArquillianExtension.class)
class XaRecoveryIT {
  private static final String SERVER = "wildfly-recovery";
  private static final String WAR = "recovery-orders.war";
  private static final System.Logger LOG = System.getLogger(XaRecoveryIT.class.getName());

  private static final int OFFSET = Integer.getInteger("warren.it.recovery.port.offset", 200);
  private static final int MANAGEMENT_PORT =
      Integer.getInteger("warren.it.recovery.management.port", 9990 + OFFSET);
  private static final Path HOME =
      Path.of(System.getProperty("warren.it.recovery.jboss.home", "target/wildfly-recovery"));

  /**
   * The WARN of WarrenMQ's store when it opens after a crash with messages stored (it delivers them
   * as redelivered): expected here, the JVM was halted.
   */
  private static final String UNCLEAN_STORE = "the previous run did not close cleanly";

  @ArquillianResource private ContainerController controller;
  @ArquillianResource private Deployer deployer;

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI api =
      URI.create("http://127.0.0.1:" + (8080 + OFFSET) + "/recovery-orders/api/");

  @Deployment(name = WarrenDeployments.RAR, order = 1, managed = false, testable = false)
  @TargetsContainer(SERVER)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = WAR, order = 2, managed = false, testable = false)
  @TargetsContainer(SERVER)
  static WebArchive recoveryOrdersWar() {
    return TestWars.recoveryOrders();
  }

  /**
   * One crash, two transactions in doubt: the first sent the order message of {@code send-...} and
   * holds in the halter's commit ({@link Halter.OnCommit#HOLD}: prepared in WarrenMQ, H2 and the
   * halter, logged by Narayana), the second consumed the message of {@code consume-...} and halts
   * the JVM in its commit. After the restart WarrenMQ lists both branches, a publish and an ack,
   * and recovery commits both transactions with their rows.
   */
  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aSendAndAConsumePreparedWhenWildFlyHaltsAreEachCommittedOnceWithTheirRowsByRecovery()
      throws Exception {
    String sent = "send-" + UUID.randomUUID();
    String consumed = "consume-" + UUID.randomUUID();
    Timings t = new Timings();
    startAndDeploy();
    assertEquals(200, call("POST", "send?id=" + consumed).statusCode());
    assertEquals("rows=0 messages=1 h2InDoubt=0 halterBranches=0 narayanaLog=0", state(consumed));

    CompletableFuture<HttpResponse<String>> held =
        http.sendAsync(request("POST", "send-then-hold?id=" + sent), BodyHandlers.ofString());
    awaitHolding(held);
    crash(t, "consume-then-halt?id=" + consumed);
    ExecutionException heldEnd =
        assertThrows(
            ExecutionException.class,
            () -> held.get(60, TimeUnit.SECONDS),
            "the held request answered instead of ending with the halted server");
    assertInstanceOf(IOException.class, heldEnd.getCause(), heldEnd::toString);

    String inDoubt = "rows=0 messages=0 h2InDoubt=2 halterBranches=2 narayanaLog=2";
    assertEquals(
        inDoubt,
        state(sent),
        "after the restart, before recovery: every branch of both prepared, nothing committed");
    assertEquals(inDoubt, state(consumed), "after the restart, before recovery: the consume's");
    assertWarrenRecoveredPreparedBranches(t, "(0 publishes, 1 acks)", "(1 publishes, 0 acks)");
    recover(sent, "rows=1 messages=1 h2InDoubt=0 halterBranches=0 narayanaLog=0", t);
    assertEquals(
        "rows=1 messages=0 h2InDoubt=0 halterBranches=0 narayanaLog=0",
        state(consumed),
        "the consume's transaction after recovery: its row, its message gone");

    assertEquals(
        new StoreState(0, List.of(1, 0)),
        stopAndReadStore(sent, consumed),
        "WarrenMQ's store: no prepared branch left, one copy of the sent message, none of the"
            + " consumed one");
  }

  /**
   * Waits until the server holds one commit ({@code GET holding}), at most 30 s.
   *
   * @param held the request whose transaction should hold; it must not answer
   */
  private void awaitHolding(CompletableFuture<HttpResponse<String>> held) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!call("GET", "holding").body().equals("1")) {
      if (held.isDone()) {
        fail("the transaction to hold completed: " + held.get().body());
      }
      if (System.nanoTime() > deadline) {
        fail("no commit held after 30 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * WarrenMQ's broker, started again by the adapter, read exactly these prepared branches back from
   * its store (logged at INFO as {@code prepared XA branch Xid(...) recovered (N publishes, M
   * acks)}), in any order.
   *
   * @param works the expected line endings, sorted
   */
  private static void assertWarrenRecoveredPreparedBranches(Timings t, String... works)
      throws IOException {
    List<String> branches =
        ServerLog.of(HOME).linesContainingSince(t.logMark, "prepared XA branch");
    List<String> recovered =
        branches.stream()
            .map(line -> line.substring(line.lastIndexOf("recovered ") + "recovered ".length()))
            .sorted()
            .toList();
    assertEquals(
        List.of(works), recovered, () -> "prepared branches WarrenMQ recovered: " + branches);
  }

  /** The broker store's state after the server stopped: its branches, and messages per order. */
  private record StoreState(int preparedBranches, List<Integer> messagesOfTheOrders) {}

  /** What the phases took, for the report in the test output; and the log mark of the restart. */
  private static final class Timings {
    long start = System.nanoTime();
    long logMark;
    long halted;
    long restarted;
    long recovered;
    int scans;

    String describe() {
      return String.format(
          "start+deploy+crash %d ms, restart %d ms, recovery %d ms in %d scan(s)",
          TimeUnit.NANOSECONDS.toMillis(halted - start),
          TimeUnit.NANOSECONDS.toMillis(restarted - halted),
          TimeUnit.NANOSECONDS.toMillis(recovered - restarted),
          scans);
    }
  }

  /** Leaves the crash server stopped and without the test's deployments, also after a failure. */
  @AfterEach
  void stopServer() {
    if (controller.isStarted(SERVER)) {
      for (String deployment : List.of(WAR, WarrenDeployments.RAR)) {
        try {
          deployer.undeploy(deployment);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.INFO, "undeploying {0}: {1}", deployment, e.toString());
        }
      }
      controller.stop(SERVER);
    }
  }

  private void startAndDeploy() {
    if (!controller.isStarted(SERVER)) {
      controller.start(SERVER);
      deployer.deploy(WarrenDeployments.RAR);
      deployer.deploy(WAR);
    }
  }

  /**
   * Starts and deploys if needed, calls {@code action} (which halts the server), waits for the JVM
   * to exit and starts the server again on the same directories; records the times in {@code t}.
   */
  private void crash(Timings t, String action) throws Exception {
    startAndDeploy();
    ProcessHandle server = serverProcess();

    IOException halted =
        assertThrows(
            IOException.class,
            () -> call("POST", action),
            "the server answered instead of halting in the commit");
    LOG.log(System.Logger.Level.INFO, "the server halted: {0}", halted.toString());
    server.onExit().get(60, TimeUnit.SECONDS);
    t.halted = System.nanoTime();

    // The container still holds the dead process: stop() forgets it. It may see the process alive
    // for a moment longer (the JVM's reaper has not collected it yet), try the shutdown operation
    // and fail; the process is forgotten all the same.
    try {
      controller.stop(SERVER);
    } catch (Exception e) {
      LOG.log(System.Logger.Level.INFO, "stopping the halted server: {0}", e.toString());
    }
    t.logMark = ServerLog.of(HOME).mark();
    controller.start(SERVER);
    t.restarted = System.nanoTime();
  }

  /** The crash server's JVM: the child process of this JVM started on {@link #HOME}. */
  private static ProcessHandle serverProcess() {
    String home = "-Djboss.home.dir=" + HOME.toAbsolutePath().normalize();
    return ProcessHandle.current()
        .children()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(home)).orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no server process with " + home));
  }

  /**
   * Runs recovery scans through the recovery listener until the order's state is {@code expected}
   * (at most 5 scans), then checks that a further scan reports every recovery module successful and
   * that the server logged no ERROR and no WARN about WarrenMQ since its restart (except the
   * store's {@link #UNCLEAN_STORE}).
   */
  private void recover(String id, String expected, Timings t) throws Exception {
    ServerLog log = ServerLog.of(HOME);
    String state = state(id);
    while (!state.equals(expected) && t.scans < 5) {
      assertEquals("DONE", RecoveryListener.send(OFFSET, "SCAN"), "the recovery scan");
      t.scans++;
      state = state(id);
    }
    t.recovered = System.nanoTime();
    LOG.log(System.Logger.Level.INFO, "XaRecoveryIT timings: {0}", t.describe());
    System.out.println("XaRecoveryIT " + id + ": " + t.describe());

    assertEquals(expected, state, "after " + t.scans + " recovery scan(s)");
    assertEquals(
        "DONE",
        RecoveryListener.send(OFFSET, "VERBOSE_SCAN"),
        "a further scan: every recovery module succeeded");
    assertEquals(List.of(), log.errorsSince(t.logMark), "ERROR lines in the recovery server's log");
    assertEquals(
        List.of(),
        log.warningsAboutWarrenSince(t.logMark).stream()
            .filter(line -> !line.contains(UNCLEAN_STORE))
            .toList(),
        "WARN lines about WarrenMQ during recovery");
  }

  /**
   * Undeploys, stops the server and opens its broker's store in this JVM: returns the prepared
   * branches WarrenMQ still lists and the messages of each order in the queue (consumed here), in
   * the order of {@code ids}.
   */
  private StoreState stopAndReadStore(String... ids) throws Exception {
    deployer.undeploy(WAR);
    deployer.undeploy(WarrenDeployments.RAR);
    controller.stop(SERVER);

    Path dataDir = HOME.resolve(Path.of("standalone", "data", "warrenmq"));
    try (Broker broker =
        Broker.withStore(
            BrokerConfig.named("xa-recovery-it"),
            JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), "xa-recovery-it"))) {
      WarrenConnectionFactory factory = new WarrenConnectionFactory(broker);
      try (WarrenConnection c = factory.createConnection()) {
        int inDoubt = c.createXASession().getXAResource().recover(XAResource.TMSTARTRSCAN).length;
        c.start();
        Session s = c.createSession();
        List<Integer> messages = new ArrayList<>();
        for (String id : ids) {
          MessageConsumer consumer =
              s.createConsumer(s.createQueue(RecoveryOrders.QUEUE), "orderId = '" + id + "'");
          int count = 0;
          while (consumer.receive(count == 0 ? 2_000 : 300) != null) {
            count++;
          }
          consumer.close();
          messages.add(count);
        }
        return new StoreState(inDoubt, messages);
      }
    }
  }

  /**
   * The order's state on the crash server. Reads through new H2 connections: H2 (2.2.224, also
   * 2.3.232) does not show a session that was open before an in-doubt transaction is committed by
   * recovery that transaction's rows, ever (reproduced without WildFly); the pool's connections
   * predate the recovery scan.
   */
  private String state(String id) throws IOException, InterruptedException {
    try (ServerManagement management = ServerManagement.connect(MANAGEMENT_PORT)) {
      management.flushXaDataSourcePool("WarrenRecoveryXADS");
    }
    HttpResponse<String> r = call("GET", "state?id=" + id);
    assertEquals(200, r.statusCode(), r::body);
    return r.body() + " narayanaLog=" + loggedTransactions();
  }

  /**
   * The transactions in Narayana's log whose completion is not finished: the files of its default
   * object store (WildFly's {@code ShadowNoFileLockStore} under {@code
   * standalone/data/tx-object-store}) for atomic actions. Read from disk rather than with the
   * log-store {@code probe} operation, which logs a WARN (ARJUNA012035) for every participant it
   * cannot activate, as the halter's is.
   */
  private static int loggedTransactions() throws IOException {
    Path atomicActions =
        HOME.resolve(
            Path.of(
                "standalone/data/tx-object-store/ShadowNoFileLockStore/defaultStore",
                "StateManager/BasicAction/TwoPhaseCoordinator/AtomicAction"));
    if (!Files.isDirectory(atomicActions)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(atomicActions)) {
      return (int) files.filter(Files::isRegularFile).count();
    }
  }

  private HttpResponse<String> call(String method, String pathAndQuery)
      throws IOException, InterruptedException {
    return http.send(request(method, pathAndQuery), BodyHandlers.ofString());
  }

  private HttpRequest request(String method, String pathAndQuery) {
    return HttpRequest.newBuilder(api.resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(60))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
  }
}
