package io.warrenmq.serverconfig.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.serverconfig.RedeliveryScenarios;
import io.warrenmq.serverconfig.TestApi;
import io.warrenmq.serverconfig.TestWars;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adapter logs through {@code System.Logger}, which Payara routes to java.util.logging and its
 * ODL {@code server.log}: the records land there with the adapter's own logger names, at the level
 * the adapter chose, with their parameters filled in. The start line is an INFO record of {@code
 * io.warrenmq.ra.WarrenResourceAdapter}; a poison message moved to the dead-letter queue is a
 * WARNING record of {@code io.warrenmq.ra.internal.InboundDelivery} that names the dead-letter
 * copy's message ID, both queues and the reason. Deploys {@code redelivery.war} ({@link
 * TestWars#redelivery()}) for the second.
 *
 * <p>Runs first ({@code @Order(1)}; the pom orders the Payara IT classes by it): its start-line
 * test counts the adapter's start records of the domain's one run so far, which {@link
 * PayaraRemoteBrokerIT}'s restart of the domain would double.
 */
@Order(1)
class PayaraAdapterLoggingIT extends PayaraItBase {
  private static final Duration WAIT = RedeliveryScenarios.WAIT;

  private final PayaraServerLog serverLog = PayaraDomain.serverLog();
  private final TestApi api = new TestApi(PayaraDomain.http("redelivery/api/"));

  @Deployment(name = TestWars.REDELIVERY, order = 2, managed = false, testable = false)
  static WebArchive redeliveryWar() {
    return TestWars.redelivery();
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void theAdapterStartLineIsAnInfoRecordOfWarrenResourceAdapterWithItsParametersFilledIn()
      throws Exception {
    List<PayaraServerLog.LogRecord> started =
        serverLog.recordsSince(0).stream()
            .filter(r -> r.message().startsWith(PayaraDomain.ADAPTER_STARTED))
            .toList();

    assertEquals(1, started.size(), () -> "start records: " + started);
    PayaraServerLog.LogRecord record = started.get(0);
    assertEquals("INFO", record.level(), record::toString);
    assertEquals("io.warrenmq.ra.WarrenResourceAdapter", record.logger(), record::toString);
    // warren-ra.asadmin: brokerName=warren, dataDir=${com.sun.aas.instanceRoot}/warrenmq
    assertTrue(
        record
            .message()
            .matches(
                "WarrenMQ resource adapter started: broker 'warren' with \\d+ dispatch threads,"
                    + " store H2 in .*/domains/warren/warrenmq"),
        record::toString);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aPoisonMessageMovedToTheDeadLetterQueueIsAWarningRecordOfInboundDelivery() throws Exception {
    deployer.deploy(TestWars.REDELIVERY);
    long mark = serverLog.mark();
    String key = "poison-" + UUID.randomUUID();

    HttpResponse<String> sent = api.call("POST", "send?queue=poison-q&key=" + key);
    assertEquals(200, sent.statusCode(), sent::body);
    HttpResponse<String> dead = api.call("GET", "dead?queue=poison-dlq&waitMs=" + WAIT.toMillis());
    assertEquals(200, dead.statusCode(), dead::body);
    assertTrue(dead.body().contains("key=" + key), dead::body);
    // The record names the failed message's ID (what the sender got) and its dead-letter copy's
    // (a new JMSMessageID, the one to look for in that queue).
    String originalId = sent.body().trim();
    String deadLetterId = dead.body().replaceAll("(?s).*\\nid=(\\S+).*", "$1");
    assertTrue(originalId.startsWith("ID:") && !originalId.equals(deadLetterId), originalId);

    PayaraServerLog.LogRecord record =
        serverLog.awaitRecord(mark, "moved to dead-letter queue poison-dlq", WAIT);
    assertNotNull(record, "no dead-letter record in " + serverLog.file());
    assertEquals("WARNING", record.level(), record::toString);
    assertEquals("io.warrenmq.ra.internal.InboundDelivery", record.logger(), record::toString);
    assertTrue(
        record
            .message()
            .startsWith(
                "Message "
                    + originalId
                    + " from queue://poison-q moved to dead-letter queue poison-dlq as "
                    + deadLetterId
                    + ": maxDeliveryAttempts (3) deliveries failed; last: onMessage threw "),
        record::toString);
  }
}
