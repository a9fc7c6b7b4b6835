package io.warrenmq.store.jdbc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claim of one broker on a store data directory: an OS file lock ({@link FileChannel#tryLock})
 * on {@code <dataDir>/warren.lock}, held while the store is open, plus a set of the directories
 * claimed in this JVM (a JVM cannot lock one file twice). The file says who holds it (process id,
 * broker name, since when), so that a second broker is refused with an error naming the holder
 * before H2 gets to say "database may be already in use ... server mode". The OS releases the lock
 * when the process ends, even when it is killed, so a stale file never blocks a start.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DataDirLock implements AutoCloseable {

  /** The lock file's name inside the data directory. */
  public static final String FILE_NAME = "warren.lock";

  private static final Set<Path> CLAIMED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Claims the directory (which must exist) for this broker.
   *
   * @throws IllegalStateException if another broker, in this JVM or another process, holds it (the
   *     message names the directory and the holder), or the lock file cannot be written
   */
  public static DataDirLock acquire(Path dataDir, String brokerName) {
    Path file = dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
    if (!CLAIMED_IN_THIS_JVM.add(file)) {
      throw inUse(dataDir, holder(file) + ", in this JVM");
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(dataDir, holder(file));
      }
      String me =
          "process "
              + ProcessHandle.current().pid()
              + ", broker '"
              + brokerName
              + "', since "
              + Instant.now()
              + "\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
      return new DataDirLock(file, channel, lock);
    } catch (IOException | RuntimeException e) {
      CLAIMED_IN_THIS_JVM.remove(file);
      closeQuietly(channel);
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException(
          "store dataDir " + dataDir + ": cannot lock " + file + ": " + e, e);
    }
  }

  private static IllegalStateException inUse(Path dataDir, String holder) {
    return new IllegalStateException(
        "store dataDir "
            + dataDir.toAbsolutePath()
            + " is in use by another WarrenMQ broker ("
            + holder
            + "); one data directory serves one broker at a time: stop that broker first, or"
            + " give this one another dataDir");
  }

  /** What the lock file says about its holder, or a placeholder if it cannot be read. */
  private static String holder(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "holder unknown" : text;
    } catch (IOException | RuntimeException e) {
      return "holder unknown";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the claim failed already; closing is best effort
      }
    }
  }

  /** Releases the claim (the file stays; its content is stale until the next claim). */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
    CLAIMED_IN_THIS_JVM.remove(file);
  }
}
