package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.WarrenConnection;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.serverconfig.recovery.RecoveryOrders;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The resource adapter in remote mode (its {@code connectionURL} set): two WildFly instances whose
 * adapter is a client of one standalone WarrenMQ server, run by the test as a process ({@link
 * StandaloneBroker}) on a free port. Orders placed on instance 1 are consumed by the MDBs of both
 * instances, each exactly once; a JTA transaction commits or rolls back a JDBC row and a message
 * together over the network; instance 1 halted between the prepare and the commit of a JTA
 * transaction (a send and an H2 row, {@code recovery-orders.war} as in {@code XaRecoveryIT}) and
 * started again commits both by its transaction recovery, which reaches the remote broker through
 * the adapter's recovery connection; the broker killed with SIGKILL in the middle of a run and
 * started again loses and duplicates no committed order; instance 1 stopped in the middle of a run
 * leaves its orders to instance 2, again exactly once.
 *
 * <p>"Exactly once" is read on the broker, not in a server's memory: the MDB ({@code
 * remote-orders.war}, classes in {@code io.warrenmq.serverconfig.remote}) consumes an order and
 * sends a record of it with its instance number to the queue {@code remote-processed} in one JTA
 * transaction, and the test consumes the records from the broker directly (jms-client over {@code
 * amqp://}). A record exists if and only if its order's consumption committed, on whichever
 * instance, across a crash of the broker or a stop of an instance.
 *
 * <p>The servers are the manual Arquillian containers {@code wildfly-remote-1} and {@code
 * wildfly-remote-2} ({@code arquillian.xml}; made by {@code wildfly/provision-remote.sh} in every
 * build that runs the ITs; port offsets {@code warren.it.remote1.port.offset}, default 1000, and
 * {@code warren.it.remote2.port.offset}, default 1100). The methods run in order on the same two
 * servers and broker, started once by the first method; the class stops them at the end.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteBrokerIT {
  private static final System.Logger LOG = System.getLogger(RemoteBrokerIT.class.getName());

  private static final Instance ONE = Instance.of(1, 1000);
  private static final Instance TWO = Instance.of(2, 1100);

  /** How long the records of a run may take to arrive, crash and recovery included. */
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);

  /** Without a new record for this long, the test runs a recovery scan on the running servers. */
  private static final Duration STALL = Duration.ofSeconds(2);

  private static StandaloneBroker broker;

  /** Kept for the static helpers: injected fields are per test instance. */
  private static ContainerController servers;

  @ArquillianResource private ContainerController controller;
  @ArquillianResource private Deployer deployer;

  /** One remote-mode WildFly: its Arquillian container, port offset, management port and home. */
  private record Instance(int number, String container, int offset, int managementPort, Path home) {
    static Instance of(int number, int defaultOffset) {
      String prefix = "warren.it.remote" + number + ".";
      int offset = Integer.getInteger(prefix + "port.offset", defaultOffset);
      return new Instance(
          number,
          "wildfly-remote-" + number,
          offset,
          Integer.getInteger(prefix + "management.port", 9990 + offset),
          Path.of(System.getProperty(prefix + "jboss.home", "target/wildfly-remote-" + number)));
    }

    TestApi api(String war) {
      return new TestApi(URI.create("http://127.0.0.1:" + (8080 + offset) + "/" + war + "/api/"));
    }

    long handled() throws IOException, InterruptedException {
      HttpResponse<String> r = api("remote-orders").call("GET", "handled");
      assertEquals(200, r.statusCode(), r::body);
      return Long.parseLong(r.body().trim());
    }
  }

  @Deployment(name = "rar-1", order = 1, managed = false, testable = false)
  @TargetsContainer("wildfly-remote-1")
  static ResourceAdapterArchive resourceAdapterOnOne() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = "orders-1", order = 2, managed = false, testable = false)
  @TargetsContainer("wildfly-remote-1")
  static WebArchive remoteOrdersOnOne() {
    return TestWars.remoteOrders();
  }

  @Deployment(name = "xa-1", order = 3, managed = false, testable = false)
  @TargetsContainer("wildfly-remote-1")
  static WebArchive xaOrdersOnOne() {
    return TestWars.xaOrders();
  }

  @Deployment(name = "rar-2", order = 4, managed = false, testable = false)
  @TargetsContainer("wildfly-remote-2")
  static ResourceAdapterArchive resourceAdapterOnTwo() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = "orders-2", order = 5, managed = false, testable = false)
  @TargetsContainer("wildfly-remote-2")
  static WebArchive remoteOrdersOnTwo() {
    return TestWars.remoteOrders();
  }

  @Deployment(name = "recovery-1", order = 6, managed = false, testable = false)
  @TargetsContainer("wildfly-remote-1")
  static WebArchive recoveryOrdersOnOne() {
    return TestWars.recoveryOrders();
  }

  @BeforeAll
  static void startBroker() throws Exception {
    broker = StandaloneBroker.start(Path.of("target", "remote-broker"));
    // Read by both servers at boot (jbossArguments --properties in arquillian.xml), where
    // remote-it.cli's connectionURL expression needs it.
    Files.writeString(
        Path.of(
            System.getProperty("warren.it.remote.properties", "target/remote-broker.properties")),
        "warren.remote.url=" + broker.url() + "\n");
    LOG.log(System.Logger.Level.INFO, "standalone broker on {0}", broker.url());
  }

  /** Arquillian stops the manual containers this class started after the class. */
  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @Order(1)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void bothInstancesDeployOnTheRemoteBrokerWithoutErrorsOrWarningsFromWarren() throws Exception {
    servers = controller;
    long started = System.nanoTime();
    for (Instance instance : List.of(ONE, TWO)) {
      ServerLog log = ServerLog.of(instance.home());
      controller.start(instance.container());
      // Errors since the boot (a fresh copy: its log starts empty), WildFly's own included;
      // warnings
      // about WarrenMQ since the deployments (the boot's WARN lines name the server's directory).
      long mark = log.mark();
      deployer.deploy("rar-" + instance.number());
      deployer.deploy("orders-" + instance.number());
      if (instance == ONE) {
        deployer.deploy("xa-1");
      }
      assertEquals(List.of(), log.warningsAboutWarrenSince(mark), instance.container());
      assertEquals(List.of(), log.errorsSince(0), instance.container());
      List<String> start = log.linesContainingSince(mark, "WarrenMQ resource adapter started");
      assertEquals(1, start.size(), () -> "the adapter's start line: " + start);
      assertTrue(
          start.get(0).contains("127.0.0.1:" + broker.port()),
          () -> "the adapter names the remote broker: " + start.get(0));
    }
    report("two instances started and deployed", started);
  }

  @Test
  @Order(2)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void ordersPlacedOnInstanceOneAreProcessedByBothInstancesEachExactlyOnce() throws Exception {
    long started = System.nanoTime();
    int orders = 400;

    place(ONE, "spread", orders, 20);
    Map<String, Integer> perInstance = assertEachOrderRecordedOnce("spread", orders);

    assertTrue(perInstance.getOrDefault("1", 0) > 0, () -> "instance 1 took none: " + perInstance);
    assertTrue(perInstance.getOrDefault("2", 0) > 0, () -> "instance 2 took none: " + perInstance);
    report("400 orders over both instances " + perInstance, started);
  }

  @Test
  @Order(3)
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aJtaTransactionCommitsOrRollsBackTheRowAndTheMessageTogetherOverTheNetwork()
      throws Exception {
    XaOrderScenarios scenarios = new XaOrderScenarios(ONE.api("xa-orders"));

    scenarios.aCommittedTransactionLeavesBothTheOrderRowAndTheOrderMessage();
    scenarios.aRolledBackTransactionLeavesNeitherTheOrderRowNorTheOrderMessage();
  }

  @Test
  @Order(4)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aSendPreparedWhenInstanceOneHaltsIsCommittedOnceWithItsRowByItsRecoveryAfterTheRestart()
      throws Exception {
    long started = System.nanoTime();
    String id = "remote-send-" + UUID.randomUUID();
    deployer.deploy("recovery-1");
    ProcessHandle server = serverProcess(ONE);
    TestApi recovery = ONE.api("recovery-orders");
    assertEquals(List.of(), preparedInBroker(), "no branch prepared in the broker before");

    // The Halter (enlisted first) halts the JVM in its commit: every branch prepared, Narayana's
    // commit decision logged, nothing committed.
    IOException halted =
        assertThrows(
            IOException.class,
            () -> recovery.call("POST", "send-then-halt?id=" + id),
            "the server answered instead of halting in the commit");
    LOG.log(System.Logger.Level.INFO, "instance 1 halted: {0}", halted.toString());
    server.onExit().get(60, TimeUnit.SECONDS);
    long haltedAt = System.nanoTime();
    List<String> inDoubt = preparedInBroker();
    assertEquals(1, inDoubt.size(), () -> "the broker's prepared branches: " + inDoubt);
    assertEquals(0, consumeOrderMessages(id), "the message is not delivered while prepared");

    // The container still holds the dead process: stop() forgets it (see XaRecoveryIT).
    try {
      controller.stop(ONE.container());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.INFO, "stopping the halted instance 1: {0}", e.toString());
    }
    controller.start(ONE.container());
    long restartedAt = System.nanoTime();

    String expected = "rows=1 messages=1 h2InDoubt=0 halterBranches=0 narayanaLog=0";
    String state = recoveryState(recovery, id);
    int scans = 0;
    while (!state.equals(expected) && scans < 5) {
      assertEquals("DONE", RecoveryListener.send(ONE.offset(), "SCAN"), "the recovery scan");
      scans++;
      state = recoveryState(recovery, id);
    }
    long recoveredAt = System.nanoTime();
    assertEquals(expected, state, "after " + scans + " recovery scan(s) of instance 1");
    assertEquals(List.of(), preparedInBroker(), "no branch left prepared in the broker");
    assertEquals(1, consumeOrderMessages(id), "the order message, exactly once");
    deployer.undeploy("recovery-1");
    report(
        "crash between prepare and commit recovered: halt "
            + TimeUnit.NANOSECONDS.toMillis(haltedAt - started)
            + " ms after the start, restart "
            + TimeUnit.NANOSECONDS.toMillis(restartedAt - haltedAt)
            + " ms, recovery "
            + TimeUnit.NANOSECONDS.toMillis(recoveredAt - restartedAt)
            + " ms in "
            + scans
            + " scan(s)",
        started);
  }

  /** The server JVM of {@code instance}: the child process of this JVM started on its home. */
  private static ProcessHandle serverProcess(Instance instance) {
    String home = "-Djboss.home.dir=" + instance.home().toAbsolutePath().normalize();
    return ProcessHandle.current()
        .children()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(home)).orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no server process with " + home));
  }

  /**
   * The order's state on instance 1 as {@code recovery-orders.war} reports it (rows, ready
   * messages, H2's in-doubt transactions, the halter's branches), plus {@code narayanaLog=N}: the
   * transactions in Narayana's object store (see XaRecoveryIT). The XA datasource's pool is flushed
   * first (H2 sessions opened before a recovery commit do not see its rows).
   */
  private static String recoveryState(TestApi recovery, String id) throws Exception {
    try (ServerManagement management = ServerManagement.connect(ONE.managementPort())) {
      management.flushXaDataSourcePool("WarrenRecoveryXADS");
    }
    HttpResponse<String> r = recovery.call("GET", "state?id=" + id);
    assertEquals(200, r.statusCode(), r::body);
    Path atomicActions =
        ONE.home()
            .resolve(
                Path.of(
                    "standalone/data/tx-object-store/ShadowNoFileLockStore/defaultStore",
                    "StateManager/BasicAction/TwoPhaseCoordinator/AtomicAction"));
    long logged = 0;
    if (Files.isDirectory(atomicActions)) {
      try (Stream<Path> files = Files.list(atomicActions)) {
        logged = files.filter(Files::isRegularFile).count();
      }
    }
    return r.body() + " narayanaLog=" + logged;
  }

  /**
   * The Xids the broker lists as prepared ({@code dtx} recover over the wire, on a connection of
   * this JVM), each as format id and global transaction id in hex.
   */
  private static List<String> preparedInBroker() throws Exception {
    try (WarrenConnection c = WarrenConnectionFactory.forUrl(broker.url()).createConnection()) {
      Xid[] xids =
          c.createXASession()
              .getXAResource()
              .recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
      return Arrays.stream(xids)
          .map(x -> x.getFormatId() + ":" + HexFormat.of().formatHex(x.getGlobalTransactionId()))
          .toList();
    }
  }

  /** Consumes the ready messages of the order from the broker (this JVM); returns how many. */
  private static int consumeOrderMessages(String id) throws Exception {
    try (WarrenConnection c = WarrenConnectionFactory.forUrl(broker.url()).createConnection()) {
      c.start();
      Session s = c.createSession();
      MessageConsumer consumer =
          s.createConsumer(s.createQueue(RecoveryOrders.QUEUE), "orderId = '" + id + "'");
      int messages = 0;
      while (consumer.receive(messages == 0 ? 2_000 : 300) != null) {
        messages++;
      }
      return messages;
    }
  }

  @Test
  @Order(5)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theBrokerKilledMidRunAndRestartedLosesAndDuplicatesNoCommittedOrder() throws Exception {
    long started = System.nanoTime();
    int orders = 600;
    long base = handledOnRunningInstances();
    place(ONE, "broker-kill", orders, 40);
    long handledBefore = awaitHandled(base, orders / 5);
    assertTrue(handledBefore < orders, "the run was over before the kill: " + handledBefore);

    broker.kill();
    long killed = System.nanoTime();
    broker.restart();
    long restarted = System.nanoTime();

    Map<String, Integer> perInstance = assertEachOrderRecordedOnce("broker-kill", orders);
    report(
        "600 orders, broker killed after about "
            + handledBefore
            + " handled, restarted in "
            + TimeUnit.NANOSECONDS.toMillis(restarted - killed)
            + " ms, all recorded "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted)
            + " ms later "
            + perInstance,
        started);
  }

  @Test
  @Order(6)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void instanceOneStoppedMidRunLeavesItsOrdersToInstanceTwoEachExactlyOnce() throws Exception {
    long started = System.nanoTime();
    int orders = 600;
    long base = handledOnRunningInstances();
    place(ONE, "instance-stop", orders, 40);
    long handledBefore = awaitHandled(base, orders / 5);
    assertTrue(handledBefore < orders, "the run was over before the stop: " + handledBefore);

    controller.stop(ONE.container());

    Map<String, Integer> perInstance = assertEachOrderRecordedOnce("instance-stop", orders);
    assertTrue(perInstance.getOrDefault("1", 0) > 0, () -> "instance 1 took none: " + perInstance);
    assertTrue(perInstance.getOrDefault("2", 0) > 0, () -> "instance 2 took none: " + perInstance);
    report(
        "600 orders, instance 1 stopped after about " + handledBefore + " handled " + perInstance,
        started);
  }

  /** Places the run's orders on {@code instance}; returns once all are committed on the broker. */
  private static void place(Instance instance, String run, int orders, int workMillis)
      throws IOException, InterruptedException {
    HttpResponse<String> placed =
        instance
            .api("remote-orders")
            .call("POST", "orders?run=" + run + "&count=" + orders + "&workMillis=" + workMillis);
    assertEquals(200, placed.statusCode(), placed::body);
  }

  /**
   * Polls the running instances' tallies (orders handled since they started, by every run) until
   * they are at least {@code atLeast} above {@code base}; returns how far above they are.
   */
  private static long awaitHandled(long base, int atLeast) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long handled = 0;
    while (handled < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(20);
      handled = handledOnRunningInstances() - base;
    }
    assertTrue(handled >= atLeast, "the MDBs handled only " + handled + " orders in 60 s");
    return handled;
  }

  private static long handledOnRunningInstances() throws IOException, InterruptedException {
    long sum = 0;
    for (Instance instance : List.of(ONE, TWO)) {
      if (servers.isStarted(instance.container())) {
        sum += instance.handled();
      }
    }
    return sum;
  }

  /** Each order of the run recorded exactly once (see {@link OrderRecords}); per instance. */
  private static Map<String, Integer> assertEachOrderRecordedOnce(String run, int orders)
      throws Exception {
    return OrderRecords.assertEachRecordedOnce(
        broker.url(), run, orders, RUN_TIMEOUT, STALL, RemoteBrokerIT::scanOnRunningInstances);
  }

  /** Runs one recovery scan on each running instance; returns how many scans ran. */
  private static int scanOnRunningInstances() throws IOException {
    int scans = 0;
    for (Instance instance : List.of(ONE, TWO)) {
      if (servers.isStarted(instance.container())) {
        assertEquals(
            "DONE", RecoveryListener.send(instance.offset(), "SCAN"), instance.container());
        scans++;
      }
    }
    return scans;
  }

  private static void report(String what, long startedNanos) {
    String line =
        "RemoteBrokerIT: "
            + what
            + " in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)
            + " ms";
    LOG.log(System.Logger.Level.INFO, line);
    System.out.println(line);
  }
}
