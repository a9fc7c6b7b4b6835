package io.warrenmq.serverconfig.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.serverconfig.OrderRecords;
import io.warrenmq.serverconfig.StandaloneBroker;
import io.warrenmq.serverconfig.TestApi;
import io.warrenmq.serverconfig.TestWars;
import io.warrenmq.serverconfig.XaOrderScenarios;
import io.warrenmq.serverconfig.remote.RemoteOrderMdb;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
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
 * middle of a run and started again loses and duplicates no committed order (disabled for now, see
 * the method). The Payara twin of {@code RemoteBrokerIT}'s scenarios on one server, with the same
 * {@code remote-orders.war} and {@code xa-orders.war} classes.
 *
 * <p>What the class adds to the domain: the pool {@code warren-remote-pool} ({@code connectionURL}
 * property, XATransaction) and its resource {@code jms/warren/RemoteConnectionFactory}, created
 * through {@code asadmin} before the deployments and deleted after; the WARs map their {@code
 * jms/warren/ConnectionFactory} reference to it ({@code glassfish-web.xml}) and {@code
 * remote-orders.war}'s {@code WEB-INF/ejb-jar.xml} sets its MDB's {@code connectionURL}. Both
 * descriptors name the broker's port, so the broker starts when the deployments are made
 * (Arquillian builds them before the class's {@code @BeforeAll}). Recovery of branches the kill
 * left prepared: {@code asadmin recover-transactions server} whenever no record arrived for a while
 * (Payara recovers by itself only at start-up).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraRemoteBrokerIT extends PayaraItBase {
  private static final String ORDERS_WAR = "remote-orders.war";
  private static final String XA_WAR = "remote-xa-orders.war";
  private static final String POOL = "warren-remote-pool";
  private static final String RESOURCE = "jms/warren/RemoteConnectionFactory";
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
  }

  @AfterAll
  static void deleteRemoteConnectionFactoryAndStopBroker() throws Exception {
    try {
      // Best effort: Arquillian undeploys the WARs after this method.
      asadmin("delete-connector-connection-pool", "--cascade=true", POOL);
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
  @Disabled(
      "Passed once (1 asadmin recover-transactions), failed once: after the restart the broker held"
          + " two prepared branches of Payara's (one publish, one ack) and 55 runs of asadmin"
          + " recover-transactions server in 150 s completed neither, so one order was never"
          + " recorded; not yet known whether Payara's manual recovery of a running server or the"
          + " adapter's getXAResources misses them")
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
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("asadmin " + String.join(" ", arguments) + ": no exit in 120 s");
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
