package io.warrenmq.server;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.store.jdbc.JdbcMessageStore;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server JVM that {@link ServerProcess} starts for the kill and load tests, until the real
 * launcher of the distribution exists: a {@link Broker} (on the durable JDBC store, H2 under a data
 * directory or the database of a {@code jdbc:} URL, with the default durability {@code POWER_LOSS},
 * or on no store) behind a {@link WarrenServer} on 127.0.0.1 and a free port.
 *
 * <p>Arguments: {@code <portFile> [<dataDir> | <jdbcUrl>]}; a JDBC URL is opened as user {@code
 * postgres} without a password unless system properties {@code warren.test.jdbcUser} and {@code
 * warren.test.jdbcPassword} say otherwise. Once listening it writes the port to {@code portFile}
 * (atomically: a reader sees the whole number or no file). It then answers commands read from
 * standard input, one line each, on standard output:
 *
 * <ul>
 *   <li>{@code stats}: runs the garbage collector until the heap stops shrinking, then prints
 *       {@code STATS threads=<live threads> heap=<bytes used after GC> direct=<bytes of direct
 *       buffers> rss=<resident bytes> connections=<open AMQP connections>
 *       names=<prefix>:<count>,...} (thread names without their trailing number, so that a pool
 *       counts once per prefix)
 * </ul>
 *
 * <p>It runs until killed, or until standard input ends (the parent died).
 */
public final class TestServerMain {
  private TestServerMain() {}

  public static void main(String[] args) throws Exception {
    Path portFile = Path.of(args[0]);
    MessageStore store =
        args.length < 2
            ? MessageStore.NONE
            : JdbcMessageStore.open(
                args[1].startsWith("jdbc:")
                    ? JdbcStoreConfig.jdbc(
                        args[1],
                        System.getProperty("warren.test.jdbcUser", "postgres"),
                        System.getProperty("warren.test.jdbcPassword"))
                    : JdbcStoreConfig.h2(Path.of(args[1])),
                "server");
    Broker broker = new Broker(BrokerConfig.named("server"), store);
    WarrenServer server = WarrenServer.start(broker, ServerConfig.defaults());
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()));
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("stats")) {
        out.println(stats(server));
      } else {
        out.println("ERROR unknown command '" + line + "'");
      }
    }
    server.close();
    broker.close();
  }

  private static String stats(WarrenServer server) throws IOException, InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // a full GC frees what the last one queued for finalization/cleaning: repeat until stable
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(50);
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used - 64 * 1024) {
        used = Math.min(used, now);
        break;
      }
      used = now;
    }
    Map<String, Integer> names = new TreeMap<>();
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      names.merge(t.getThreadName().replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
    }
    StringBuilder line =
        new StringBuilder("STATS threads=")
            .append(ManagementFactory.getThreadMXBean().getThreadCount())
            .append(" heap=")
            .append(used)
            .append(" direct=")
            .append(directBytes())
            .append(" rss=")
            .append(residentBytes())
            .append(" connections=")
            .append(server.connectionCount())
            .append(" names=");
    names.forEach(
        (name, n) -> line.append(name.replace(' ', '_')).append(':').append(n).append(','));
    return line.toString();
  }

  /** Bytes of the JDK's direct buffers (Netty's socket buffers, unless it allocates its own). */
  private static long directBytes() {
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        return pool.getMemoryUsed();
      }
    }
    return -1;
  }

  /** The process's resident set in bytes (Linux {@code /proc/self/status}), -1 elsewhere. */
  private static long residentBytes() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
