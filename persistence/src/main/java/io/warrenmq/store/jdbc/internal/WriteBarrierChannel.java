package io.warrenmq.store.jdbc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A read-write file channel that orders overwrites after a sync (a write barrier), for H2's MVStore
 * file ({@link WriteBarrierFilePath} says why). The rule: before a write that lands below the
 * highest offset written so far (an overwrite of space the file has held, as opposed to an append),
 * and before a truncation, if anything was written since the last {@link #force}, the channel
 * forces it first ({@code fdatasync}). Appends are not ordered: H2's recovery ignores a chunk that
 * did not reach the disk.
 *
 * <p>H2's store header (the file's first 8 KiB) is an overwrite too, and must be ordered: H2
 * rewrites it, both copies in one write, when a new chunk cannot be found from the previous one, so
 * a header that reached the disk before its chunk points to nothing, and the old header that led to
 * the last synced chunk is gone; H2's recovery then settles on an older chunk and the synced
 * commits after it are lost ({@code WriteBarrierPowerLossTest} finds such images when the header is
 * exempt).
 *
 * <p>Costs, in syncs per commit: none extra while the commits are synced anyway and H2 writes no
 * header (the overwrite follows a sync with nothing written since); one extra when H2 writes its
 * header after a chunk, or when an unsynced commit (acks only) is followed by a write into freed
 * space. Counted by {@link #barrierSyncs(Path)}.
 *
 * <p>Thread-safety: writes, truncations and forces are serialised on this channel (H2 serialises
 * them already); reads go straight to the underlying channel.
 */
public final class WriteBarrierChannel extends ForwardingFileChannel {
  /** Barrier syncs per file (its real path), for {@link #barrierSyncs(Path)}. */
  private static final ConcurrentMap<String, LongAdder> BARRIER_SYNCS = new ConcurrentHashMap<>();

  private final LongAdder barrierSyncs;
  private final Object lock = new Object();
  private long highWater; // guarded by lock: end of the furthest write, or the size at open
  private boolean dirty; // guarded by lock: written or truncated since the last force

  /**
   * @param file the open file
   * @param name its path, which {@link #barrierSyncs(Path)} counts under
   */
  WriteBarrierChannel(FileChannel file, String name) throws IOException {
    super(file);
    this.highWater = file.size();
    this.barrierSyncs = BARRIER_SYNCS.computeIfAbsent(key(Path.of(name)), k -> new LongAdder());
  }

  /**
   * The syncs the barrier made before an overwrite or a truncation of a file, since this JVM first
   * opened it through the barrier (the syncs H2 asks for are not counted). Thread-safe.
   *
   * @param file the database file ({@code warren.mv.db})
   * @return the count, 0 if it was never opened through the barrier
   */
  public static long barrierSyncs(Path file) {
    LongAdder n = BARRIER_SYNCS.get(key(file));
    return n == null ? 0 : n.sum();
  }

  private static String key(Path file) {
    try {
      return file.toRealPath().toString();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize().toString();
    }
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    synchronized (lock) {
      if (dirty && position < highWater) {
        barrier();
      }
      int n = file.write(src, position);
      dirty = true;
      highWater = Math.max(highWater, position + n);
      return n;
    }
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    synchronized (lock) {
      if (dirty && size < file.size()) {
        barrier();
      }
      file.truncate(size);
      dirty = true;
      highWater = Math.min(highWater, size);
      return this;
    }
  }

  @Override
  public void force(boolean metaData) throws IOException {
    synchronized (lock) {
      file.force(metaData);
      dirty = false;
    }
  }

  private void barrier() throws IOException {
    file.force(false);
    dirty = false;
    barrierSyncs.increment();
  }
}
