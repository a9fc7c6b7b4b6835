package io.warrenmq.serverconfig.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.WarrenConnection;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.serverconfig.OrderRecords;
import io.warrenmq.serverconfig.StandaloneBroker;
import io.warrenmq.serverconfig.TestApi;
import io.warrenmq.serverconfig.TestWars;
import io.warrenmq.serverconfig.XaOrderScenarios;
import io.warrenmq.serverconfig.recovery.Halter;
import io.warrenmq.serverconfig.recovery.RecoveryApplication;
import io.warrenmq.serverconfig.recovery.RecoveryOrders;
import io.warrenmq.serverconfig.recovery.RecoveryResource;
import io.warrenmq.serverconfig.remote.RemoteOrderMdb;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The resource adapter in remote mode on Payara: the domain's {@code warren-ra} (embedded broker
 * for the other classes) with a connection pool and an MDB activation whose {@code connectionURL}
 * is a standalone WarrenMQ server that the test runs as a process ({@link StandaloneBroker}).
 * Orders placed on Payara are each processed exactly once; a JTA transaction commits or rolls back
 * an H2 row and a message on the remote broker together; the broker killed with SIGKILL in the
 * middle of a run and started again loses and duplicates no committed order; Payara halted between
 * the prepare and the commit of a transaction (a send and an H2 row) and started again commits both
 * by its start-up recovery, through the remote pool's XAResource. The Payara twin of {@code
 * RemoteBrokerIT}'s scenarios on one server, with the same {@code remote-orders.war} and {@code
 * xa-orders.war} classes.
 *
 * <p>What the class adds to the domain: the pool {@code warren-remote-pool} ({@code connectionURL}
 * property, XATransaction) and its resource {@code jms/warren/RemoteConnectionFactory}, created
 * through {@code asadmin} before the deployments and deleted after; the WARs map their {@code
 * jms/warren/ConnectionFactory} reference to it ({@code glassfish-web.xml}) and {@code
 * remote-orders.war}'s {@code WEB-INF/ejb-jar.xml} sets its MDB's {@code connectionURL}. Both
 * descriptors name the broker's port, so the broker starts when the deployments are made
 * (Arquillian builds them before the class's {@code @BeforeAll}). Branches the kill left prepared:
 * the adapter's XAResources complete a commit or rollback that failed with the lost connection on a
 * new connection once the broker is back ({@code io.warrenmq.ra.internal.BranchCompletion});
 * without that, Payara took the rollback's {@code XAER_RMFAIL} as "rolled back" and a branch
 * prepared when the kill cut the transaction's next prepare stayed prepared until Payara restarted.
 * The test still runs {@code asadmin recover-transactions server} whenever no record arrived for a
 * while (Payara's recovery of a running server completes transactions whose commit failed).
 *
 * <p>Runs last of the Payara IT classes ({@code @Order(Integer.MAX_VALUE)}; the pom orders them by
 * it), since it halts the domain and starts it again.
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraRemoteBrokerIT extends PayaraItBase {
  private static final String ORDERS_WAR = "remote-orders.war";
  private static final String XA_WAR = "remote-xa-orders.war";
  private static final String POOL = "warren-remote-pool";
  private static final String RESOURCE = "jms/warren/RemoteConnectionFactory";
  private static final String RECOVERY_WAR = "payara-recovery-orders.war";
  private static final String RECOVERY_POOL = "warren-recovery-pool";
  private static final String RECOVERY_DS = "jdbc/warren/RecoveryXADS";
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);
  private static final Duration STALL = Duration.ofSeconds(2);

  private static StandaloneBroker broker;

  private final TestApi orders = new TestApi(PayaraDomain.http("remote-orders/api/"));

  /** The broker, started on first use (by the first deployment method). */
  private static synchronized StandaloneBroker broker() {
    if (broker == null) {
      try {
        broker = StandaloneBroker.start(Path.of("target", "remote-broker-payara"));
      } catch (IOException e) {
        throw new IllegalStateException("cannot start the standalone broker", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the standalone broker", e);
      }
    }
    return broker;
  }

  @Deployment(name = ORDERS_WAR, order = 2, managed = false, testable = false)
  static WebArchive remoteOrdersWar() {
    String activation =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ejb-jar xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0">
          <enterprise-beans>
            <message-driven>
              <ejb-name>%s</ejb-name>
              <activation-config>
                <activation-config-property>
                  <activation-config-property-name>connectionURL</activation-config-property-name>
                  <activation-config-property-value>%s</activation-config-property-value>
                </activation-config-property>
              </activation-config>
            </message-driven>
          </enterprise-beans>
        </ejb-jar>
        """
            .formatted(RemoteOrderMdb.class.getSimpleName(), broker().url());
    return withRemoteConnectionFactory(TestWars.remoteOrders())
        .addAsWebInfResource(new StringAsset(activation), "ejb-jar.xml");
  }

  @Deployment(name = XA_WAR, order = 3, managed = false, testable = false)
  static WebArchive remoteXaOrdersWar() {
    return withRemoteConnectionFactory(
        ShrinkWrap.create(WebArchive.class, XA_WAR).merge(TestWars.xaOrders()));
  }

  /**
   * {@code recovery-orders.war}'s classes (as {@code XaRecoveryIT}'s, without the WildFly-only
   * {@code HalterRecovery}): its connection factory reference mapped to the remote pool's resource,
   * its datasource to {@link #RECOVERY_DS}, an XA pool on an H2 file database that the class
   * creates.
   */
  @Deployment(name = RECOVERY_WAR, order = 4, managed = false, testable = false)
  static WebArchive recoveryOrdersWar() {
    String mapping =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE glassfish-web-app PUBLIC "-//GlassFish.org//DTD GlassFish Application Server 3.1 Servlet 3.0//EN" "http://glassfish.org/dtds/glassfish-web-app_3_0-1.dtd">
        <glassfish-web-app>
          <resource-ref>
            <res-ref-name>jms/warren/ConnectionFactory</res-ref-name>
            <jndi-name>%s</jndi-name>
          </resource-ref>
          <resource-ref>
            <res-ref-name>jdbc/warren/RecoveryXADS</res-ref-name>
            <jndi-name>%s</jndi-name>
          </resource-ref>
        </glassfish-web-app>
        """
            .formatted(RESOURCE, RECOVERY_DS);
    return ShrinkWrap.create(WebArchive.class, RECOVERY_WAR)
        .addClasses(
            Halter.class, RecoveryOrders.class, RecoveryApplication.class, RecoveryResource.class)
        .addAsWebInfResource(new StringAsset(mapping), "glassfish-web.xml");
  }

  /** Maps the WAR's {@code jms/warren/ConnectionFactory} to the remote pool's resource. */
  private static WebArchive withRemoteConnectionFactory(WebArchive war) {
    war.delete("WEB-INF/glassfish-web.xml");
    String mapping =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE glassfish-web-app PUBLIC "-//GlassFish.org//DTD GlassFish Application Server 3.1 Servlet 3.0//EN" "http://glassfish.org/dtds/glassfish-web-app_3_0-1.dtd">
        <glassfish-web-app>
          <resource-ref>
            <res-ref-name>jms/warren/ConnectionFactory</res-ref-name>
            <jndi-name>%s</jndi-name>
          </resource-ref>
          <resource-ref>
            <res-ref-name>jdbc/warren/OrdersXADS</res-ref-name>
            <jndi-name>jdbc/warren/OrdersXADS</jndi-name>
          </resource-ref>
        </glassfish-web-app>
        """
            .formatted(RESOURCE);
    return war.addAsWebInfResource(new StringAsset(mapping), "glassfish-web.xml");
  }

  @BeforeAll
  static void createRemoteConnectionFactory() throws Exception {
    // In an asadmin property list ':' separates properties: the URL's are escaped.
    String url = broker().url().replace(":", "\\:");
    asadmin(
        "create-connector-connection-pool",
        "--raname",
        "warren-ra",
        "--connectiondefinition",
        "jakarta.jms.ConnectionFactory",
        "--transactionsupport",
        "XATransaction",
        "--steadypoolsize",
        "0",
        "--maxpoolsize",
        "32",
        "--property",
        // userName/password: Payara signs on with the pool's default principal (these two
        // properties); without them its container-managed sign-on gives an empty user name, which
        // the broker refuses.
        "connectionURL=" + url + ":userName=guest:password=guest",
        POOL);
    asadmin("create-connector-resource", "--poolname", POOL, RESOURCE);
    // H2 on a file: its prepared branch must survive the halt (see wildfly/recovery-it.cli).
    String h2 =
        "jdbc:h2:"
            + PayaraDomain.domainDir()
                .resolve(Path.of("warren-recovery", "orders"))
                .toAbsolutePath()
            + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
    asadmin(
        "create-jdbc-connection-pool",
        "--datasourceclassname",
        "org.h2.jdbcx.JdbcDataSource",
        "--restype",
        "javax.sql.XADataSource",
        "--property",
        "URL=" + h2.replace(":", "\\:").replace("=", "\\=") + ":user=sa:password=sa",
        RECOVERY_POOL);
    asadmin("create-jdbc-resource", "--connectionpoolid", RECOVERY_POOL, RECOVERY_DS);
  }

  @AfterAll
  static void deleteRemoteConnectionFactoryAndStopBroker() throws Exception {
    try {
      // Best effort: Arquillian undeploys the WARs after this method.
      asadmin("delete-connector-connection-pool", "--cascade=true", POOL);
      asadmin("delete-jdbc-connection-pool", "--cascade=true", RECOVERY_POOL);
    } catch (AssertionError e) {
      System.out.println("PayaraRemoteBrokerIT: " + e.getMessage());
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @BeforeEach
  void deploy() {
    deployOnce(ORDERS_WAR);
    deployOnce(XA_WAR);
  }

  @Test
  @Order(1)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void ordersPlacedOnPayaraAreProcessedExactlyOnceOverTheRemoteBroker() throws Exception {
    long started = System.nanoTime();
    place("payara-orders", 300, 10);
    Map<String, Integer> perInstance = assertEachOrderRecordedOnce("payara-orders", 300);
    report("300 orders " + perInstance, started);
  }

  @Test
  @Order(2)
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aJtaTransactionCommitsOrRollsBackTheRowAndTheMessageTogetherOverTheNetwork()
      throws Exception {
    XaOrderScenarios scenarios =
        new XaOrderScenarios(new TestApi(PayaraDomain.http("remote-xa-orders/api/")));

    scenarios.aCommittedTransactionLeavesBothTheOrderRowAndTheOrderMessage();
    scenarios.aRolledBackTransactionLeavesNeitherTheOrderRowNorTheOrderMessage();
  }

  @Test
  @Order(3)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theBrokerKilledMidRunAndRestartedLosesAndDuplicatesNoCommittedOrder() throws Exception {
    long started = System.nanoTime();
    int count = 600;
    long base = handled();
    place("payara-broker-kill", count, 40);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long handled = 0;
    while (handled < count / 5 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      handled = handled() - base;
    }
    assertTrue(handled >= count / 5, "the MDB handled only " + handled + " orders in 60 s");
    assertTrue(handled < count, "the run was over before the kill: " + handled);

    broker.kill();
    broker.restart();

    Map<String, Integer> perInstance = assertEachOrderRecordedOnce("payara-broker-kill", count);
    report("600 orders, broker killed after about " + handled + " handled " + perInstance, started);
  }

  @Test
  @Order(4)
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aSendPreparedWhenPayaraHaltsIsCommittedOnceWithItsRowByPayarasRecoveryAtItsRestart()
      throws Exception {
    long started = System.nanoTime();
    String id = "payara-send-" + UUID.randomUUID();
    deployOnce(RECOVERY_WAR);
    TestApi recovery = new TestApi(PayaraDomain.http("payara-recovery-orders/api/"));
    ProcessHandle server = payaraProcess();
    assertEquals(List.of(), preparedInBroker(), "no branch prepared in the broker before");

    // The Halter (enlisted first) halts the JVM in its commit: every branch prepared, Payara's
    // commit decision logged, nothing committed.
    IOException halted =
        assertThrows(
            IOException.class,
            () -> recovery.call("POST", "send-then-halt?id=" + id),
            "Payara answered instead of halting in the commit");
    System.out.println("PayaraRemoteBrokerIT: Payara halted: " + halted);
    server.onExit().get(60, TimeUnit.SECONDS);
    long haltedAt = System.nanoTime();
    List<String> inDoubt = preparedInBroker();
    assertEquals(1, inDoubt.size(), () -> "the broker's prepared branches: " + inDoubt);

    // Payara's recovery at start-up (transaction-service automatic-recovery=true,
    // warren-ra.asadmin)
    PayaraServerLog log = PayaraDomain.serverLog();
    long mark = log.mark();
    asadmin("start-domain", System.getProperty("warren.it.payara.domain"));
    awaitLogged(log, mark, PayaraDomain.ADAPTER_STARTED, Duration.ofSeconds(180));
    long restartedAt = System.nanoTime();

    String expected = "rows=1 messages=1 h2InDoubt=0 halterBranches=1";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String state = recoveryState(recovery, id);
    while (!state.equals(expected) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(500);
      state = recoveryState(recovery, id);
    }
    long recoveredAt = System.nanoTime();
    // halterBranches=1: Payara's recovery completes the branches its resources list; the halter's
    // file stays, as nothing recovers it on Payara.
    assertEquals(expected, state, "after Payara's start-up recovery");
    assertEquals(List.of(), preparedInBroker(), "no branch left prepared in the broker");
    assertEquals(1, consumeOrderMessages(id), "the order message, exactly once");
    report(
        "crash between prepare and commit recovered: halt "
            + TimeUnit.NANOSECONDS.toMillis(haltedAt - started)
            + " ms after the start, restart "
            + TimeUnit.NANOSECONDS.toMillis(restartedAt - haltedAt)
            + " ms, recovery "
            + TimeUnit.NANOSECONDS.toMillis(recoveredAt - restartedAt)
            + " ms",
        started);
  }

  /**
   * The domain's server JVM: the process whose command line ({@code /proc/<pid>/cmdline}, Linux)
   * sets {@code com.sun.aas.instanceRoot} to the domain directory.
   */
  private static ProcessHandle payaraProcess() {
    String root =
        "-Dcom.sun.aas.instanceRoot=" + PayaraDomain.domainDir().toAbsolutePath().normalize();
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              try {
                String cmdline =
                    new String(
                        Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")),
                        java.nio.charset.StandardCharsets.UTF_8);
                return cmdline.contains(root);
              } catch (IOException | RuntimeException e) {
                return false;
              }
            })
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Payara process with " + root));
  }

  /** Waits for a record containing {@code text} since {@code mark} (from 0 if Payara rotated). */
  private static void awaitLogged(PayaraServerLog log, long mark, String text, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<PayaraServerLog.LogRecord> records;
      try {
        records = log.recordsSince(mark);
      } catch (IllegalStateException rotated) {
        records = log.recordsSince(0);
      }
      if (records.stream().anyMatch(r -> r.message().contains(text))) {
        return;
      }
      assertTrue(
          System.nanoTime() < deadline,
          () -> "no \"" + text + "\" in " + log.file() + " within " + timeout);
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /**
   * The order's state as {@code recovery-orders}' resource reports it, read after flushing the H2
   * pool (H2 sessions opened before a recovery commit do not see its rows; see XaRecoveryIT); right
   * after the restart, while the WAR is not loaded yet, {@code HTTP <status>} or the failure.
   */
  private static String recoveryState(TestApi recovery, String id) throws Exception {
    try {
      asadmin("flush-connection-pool", RECOVERY_POOL);
      HttpResponse<String> r = recovery.call("GET", "state?id=" + id);
      return r.statusCode() == 200 ? r.body() : "HTTP " + r.statusCode();
    } catch (AssertionError | IOException e) {
      return e.toString();
    }
  }

  /** The Xids the broker lists as prepared ({@code dtx} recover over the wire, from this JVM). */
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

  private void place(String run, int count, int workMillis)
      throws IOException, InterruptedException {
    HttpResponse<String> placed =
        orders.call("POST", "orders?run=" + run + "&count=" + count + "&workMillis=" + workMillis);
    assertEquals(200, placed.statusCode(), placed::body);
  }

  private long handled() throws IOException, InterruptedException {
    HttpResponse<String> r = orders.call("GET", "handled");
    assertEquals(200, r.statusCode(), r::body);
    return Long.parseLong(r.body().trim());
  }

  private static Map<String, Integer> assertEachOrderRecordedOnce(String run, int count)
      throws Exception {
    return OrderRecords.assertEachRecordedOnce(
        broker.url(),
        run,
        count,
        RUN_TIMEOUT,
        STALL,
        () -> {
          asadmin("recover-transactions", "server");
          return 1;
        });
  }

  /**
   * Runs {@code asadmin --port <admin port> <arguments>} of the domain's Payara and returns its
   * output.
   *
   * @throws AssertionError if it exits with a status other than 0
   */
  private static String asadmin(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("warren.it.payara.home"), "bin", "asadmin").toString());
    command.add("--port");
    command.add(System.getProperty("warren.it.payara.admin.port"));
    command.addAll(List.of(arguments));
    Path output = Files.createTempFile("asadmin", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      // start-domain waits for the server, which takes a minute or more on a loaded machine
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("asadmin " + String.join(" ", arguments) + ": no exit in 300 s");
      }
      String text = Files.readString(output);
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "asadmin " + String.join(" ", arguments) + " exited " + p.exitValue() + ": " + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static void report(String what, long startedNanos) {
    System.out.println(
        "PayaraRemoteBrokerIT: "
            + what
            + " in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)
            + " ms");
  }
}
