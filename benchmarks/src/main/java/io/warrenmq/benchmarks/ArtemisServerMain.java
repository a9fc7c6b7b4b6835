package io.warrenmq.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * ActiveMQ Artemis as a broker of its own JVM for {@link BrokerUnderTest#WIRE} trials ({@link
 * BrokerProcess} starts it): {@link BrokerUnderTest#artemisConfiguration} (persistence on, journal
 * sync at Artemis's defaults, the file journal or the JDBC store on the trial's database) plus one
 * Netty acceptor {@code tcp://127.0.0.1:<port>} with Artemis's default acceptor settings but for
 * {@link BrokerProcess#ARTEMIS_NETTY}. Stops the broker on SIGTERM.
 *
 * <p>Arguments: the data directory, the port, and optionally the PostgreSQL database on {@code
 * warren.bench.pgServer} (as user {@code warren.bench.pgUser}; the password, if any, in the
 * environment variable {@value #PG_PASSWORD_ENV}).
 */
public final class ArtemisServerMain {

  /** The environment variable that carries the PostgreSQL password to the broker's JVM. */
  static final String PG_PASSWORD_ENV = "WARREN_BENCH_PG_PASSWORD";

  private ArtemisServerMain() {}

  /**
   * Starts the broker and blocks until the JVM is asked to stop.
   *
   * @param args data directory, port, [database]
   * @throws Exception if Artemis does not start
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: ArtemisServerMain <data dir> <port> [database]");
      System.exit(2);
    }
    String password = System.getenv(PG_PASSWORD_ENV);
    if (password != null) {
      System.setProperty("warren.bench.pgPassword", password);
    }
    String database = args.length == 3 ? args[2] : null;
    Configuration config = BrokerUnderTest.artemisConfiguration(Path.of(args[0]), database);
    config.addAcceptorConfiguration(
        "netty",
        "tcp://127.0.0.1:" + Integer.parseInt(args[1]) + "?" + BrokerProcess.ARTEMIS_NETTY);
    EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    server.setConfiguration(config);
    server.start();
    BrokerUnderTest.printArtemisConfig(server.getActiveMQServer().getConfiguration(), database);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.stop();
                  } catch (Exception e) {
                    System.err.println("Artemis did not stop cleanly: " + e);
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }
}
