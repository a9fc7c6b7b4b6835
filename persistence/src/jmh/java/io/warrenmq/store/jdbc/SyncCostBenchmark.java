package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.StoredMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one durable commit of a lone caller costs (docs/performance.md, "The cost of one sync"), on
 * the same disk in one run, one thread, average time per operation in microseconds:
 *
 * <ul>
 *   <li>{@link #storeEnqueueAwaited}: the store as it is, one persistent 1 KB {@code enqueue}
 *       awaited at a time on a fresh H2 store ({@link BenchDatabases}) at the default durability
 *       {@code POWER_LOSS}: one group commit of one operation (JDBC insert, commit, {@code
 *       CHECKPOINT SYNC}).
 *   <li>{@link #appendAndForce}: a 4 KB write at the end of a growing file, then {@code
 *       FileChannel.force(false)} ({@code fdatasync}): an append-only log without preallocation.
 *   <li>{@link #preallocatedWriteAndForce}: the same write into a file of {@link #FILE_BYTES}
 *       written and synced beforehand, wrapping at its end: a preallocated journal's write.
 * </ul>
 *
 * The last two bound what a journal of WarrenMQ's own (bodies and settlements appended, the
 * database holding the index) could pay per sync instead of the first.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Benchmark)
public class SyncCostBenchmark {
  /** The preallocated file's size: 64 MiB. */
  static final int FILE_BYTES = 64 << 20;

  /** One record: 4 KiB, a 1 KB body and its header rounded up to a page. */
  static final int RECORD_BYTES = 4096;

  static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  BenchDatabases db;
  Path logs;
  JdbcMessageStore store;
  long nextId;
  FileChannel appended;
  FileChannel preallocated;
  final ByteBuffer record = ByteBuffer.allocateDirect(RECORD_BYTES);

  @Setup(Level.Trial)
  public void open() throws IOException {
    db = new BenchDatabases("h2");
    store = JdbcMessageStore.open(db.config, "sync-cost");
    join(store.storeQueue("/", QueueSpec.durable("q")));
    logs = Files.createTempDirectory("warren-bench-logs");
    appended = open(logs.resolve("appended.log"));
    preallocated = open(logs.resolve("preallocated.log"));
    ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    for (int i = 0; i < FILE_BYTES >> 20; i++) {
      zeros.clear();
      preallocated.write(zeros);
    }
    preallocated.force(true);
    preallocated.position(0);
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    store.close();
    db.drop();
    appended.close();
    preallocated.close();
    Files.delete(logs.resolve("appended.log"));
    Files.delete(logs.resolve("preallocated.log"));
    Files.delete(logs);
  }

  @Benchmark
  public void storeEnqueueAwaited() {
    long id = ++nextId;
    join(store.enqueue("/", "q", id, new StoredMessage(id, "", "q", PERSISTENT, new byte[1024])));
  }

  @Benchmark
  public void appendAndForce() throws IOException {
    if (appended.size() >= FILE_BYTES) {
      appended.truncate(0);
      appended.position(0);
    }
    record.clear();
    appended.write(record);
    appended.force(false);
  }

  @Benchmark
  public void preallocatedWriteAndForce() throws IOException {
    if (preallocated.position() >= FILE_BYTES) {
      preallocated.position(0);
    }
    record.clear();
    preallocated.write(record);
    preallocated.force(false);
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
