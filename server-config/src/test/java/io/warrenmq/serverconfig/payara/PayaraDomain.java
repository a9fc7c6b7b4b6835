package io.warrenmq.serverconfig.payara;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The Payara domain of the ITs, as the pom describes it in system properties ({@code
 * warren.it.payara.home}, {@code warren.it.payara.domain}, {@code warren.it.payara.http.port}), and
 * the one thing every test class must do before deploying anything that uses WarrenMQ: wait until
 * the already-deployed {@code warren-ra} has started.
 *
 * <p>Why a wait and a probe: Arquillian's managed Payara container runs {@code start-domain} inside
 * its first deploy, and Payara 6's {@code start-domain} returns before the applications already
 * deployed are loaded (Payara issue 6453); an EAR or WAR with WarrenMQ MDBs or resource references
 * deployed in that window fails with "Resource adapter warren-ra is not deployed". So each test
 * class extends {@link PayaraItBase}: {@link #startProbe()} is its only managed deployment
 * (deploying it starts the domain the first time), it waits in {@code @BeforeAll} with {@link
 * #awaitResourceAdapterStarted()}, and deploys its real archives with {@code managed = false} and
 * the injected {@code Deployer}.
 */
final class PayaraDomain {

  /** Deployment name of {@link #startProbe()}. */
  static final String PROBE = "payara-started.war";

  /** What {@code WarrenResourceAdapter.start} logs last, once the broker is up. */
  static final String ADAPTER_STARTED = "WarrenMQ resource adapter started";

  private static final Duration ADAPTER_START_TIMEOUT = Duration.ofSeconds(180);

  private PayaraDomain() {}

  /** The domain directory, {@code <payara home>/glassfish/domains/<domain>}. */
  static Path domainDir() {
    return Path.of(required("warren.it.payara.home"))
        .resolve(Path.of("glassfish", "domains", required("warren.it.payara.domain")));
  }

  /** The domain's log. */
  static PayaraServerLog serverLog() {
    return PayaraServerLog.of(domainDir().resolve(Path.of("logs", "server.log")));
  }

  /** {@code http://127.0.0.1:<HTTP port>/<path>}; {@code path} without a leading slash. */
  static URI http(String path) {
    return URI.create(
        "http://127.0.0.1:"
            + Integer.parseInt(required("warren.it.payara.http.port"))
            + "/"
            + path);
  }

  /**
   * A WAR without WarrenMQ in it (one static page): safe to deploy while {@code warren-ra} is still
   * loading, so deploying it makes the managed container start the domain.
   */
  static WebArchive startProbe() {
    return ShrinkWrap.create(WebArchive.class, PROBE)
        .addAsWebResource(new StringAsset("started\n"), "index.html");
  }

  /**
   * Waits until the domain's log has the adapter's start line: at once when the domain has been
   * running, up to 180 s right after {@code start-domain}.
   *
   * @throws AssertionError if the line has not appeared by then, naming the log and any SEVERE
   *     records in it
   */
  static void awaitResourceAdapterStarted() throws IOException, InterruptedException {
    PayaraServerLog log = serverLog();
    long deadline = System.nanoTime() + ADAPTER_START_TIMEOUT.toNanos();
    while (log.recordsSince(0).stream().noneMatch(r -> r.message().contains(ADAPTER_STARTED))) {
      if (System.nanoTime() > deadline) {
        List<PayaraServerLog.LogRecord> severe =
            log.recordsSince(0).stream().filter(r -> r.level().equals("SEVERE")).toList();
        throw new AssertionError(
            "warren-ra did not log \""
                + ADAPTER_STARTED
                + "\" within "
                + ADAPTER_START_TIMEOUT.toSeconds()
                + " s of the domain's start; see "
                + log.file()
                + (severe.isEmpty() ? "" : "; SEVERE records: " + severe));
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + property + " is not set: run the Payara ITs through the pom");
    }
    return value;
  }
}
