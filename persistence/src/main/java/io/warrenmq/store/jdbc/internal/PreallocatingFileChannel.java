package io.warrenmq.store.jdbc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A read-write file channel that grows its file ahead of the writes, in steps of zeros, for H2's
 * MVStore file under the embedded store's synced commits ({@link WriteBarrierFilePath}). H2 appends
 * each commit's chunk at the end of the file until it reuses freed space; an append that grows the
 * file makes the following sync commit the new size and extent to the file system's journal as well
 * as the data. Written into space the file already holds, the same sync flushes the data alone:
 * measured on ext4 (a 2-core virtual machine, 6 Dec 2026), an 8 KiB write and {@code fsync} took
 * 270 µs at the end of the file and 165 µs inside it, and the store's single-publisher synced
 * commit went from 300-480 µs per sync to 170-190 µs ({@code PersistentPublishBenchmark} with
 * {@code windowSize=1}, docs/performance.md).
 *
 * <p>The rule: a write that ends past the end of the space already allocated first writes zeros
 * from there up to a step past the write's end; the step is a quarter of the file's logical size,
 * at least {@value #MIN_STEP} and at most {@value #MAX_STEP} bytes, so a small database stays small
 * and a large one grows by a few steps. The zeros are not synced by this channel: the next sync H2
 * asks for carries them with its data, once per step.
 *
 * <p>{@link #size()} is the logical size, the end of the furthest write or truncation, or the size
 * at open, so H2 sees the file as it wrote it. After a crash the file may end in zeros beyond H2's
 * last chunk; H2 opens it as it opens a file whose last append was cut short (the store header and
 * the chunks' own headers and footers say where the data is; {@code WriteBarrierPowerLossTest} and
 * the kill tests open such files). A clean close lets H2 truncate the file to what it uses, which
 * this channel passes on.
 *
 * <p>Thread-safety: writes, truncations and size queries are serialised on this channel (H2
 * serialises its writes already); reads go straight to the underlying channel.
 */
final class PreallocatingFileChannel extends ForwardingFileChannel {
  /** Smallest growth step, bytes (1 MiB). */
  static final long MIN_STEP = 1L << 20;

  /** Largest growth step, bytes (16 MiB): zero-filling it takes tens of ms on the writer thread. */
  static final long MAX_STEP = 16L << 20;

  private static final int ZEROS_CHUNK = 1 << 20;

  private final Object lock = new Object();
  private long allocated; // guarded by lock: the underlying file's size
  private long logical; // guarded by lock: the size H2 sees
  private ByteBuffer zeros; // guarded by lock: allocated at the first growth

  /**
   * @param file the open read-write file
   * @throws IOException if its size cannot be read
   */
  PreallocatingFileChannel(FileChannel file) throws IOException {
    super(file);
    this.allocated = file.size();
    this.logical = allocated;
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    synchronized (lock) {
      long end = position + src.remaining();
      if (end > allocated) {
        grow(end);
      }
      int n = file.write(src, position);
      logical = Math.max(logical, position + n);
      return n;
    }
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    synchronized (lock) {
      file.truncate(size);
      allocated = Math.min(allocated, file.size());
      logical = Math.min(logical, size);
      return this;
    }
  }

  @Override
  public long size() throws IOException {
    synchronized (lock) {
      return logical;
    }
  }

  /** The bytes the underlying file holds (the logical size plus what is preallocated). */
  long allocatedSize() {
    synchronized (lock) {
      return allocated;
    }
  }

  private void grow(long end) throws IOException {
    long step = Math.min(MAX_STEP, Math.max(MIN_STEP, Math.max(logical, end) / 4));
    long target = end + step;
    if (zeros == null) {
      zeros = ByteBuffer.allocateDirect(ZEROS_CHUNK);
    }
    long at = allocated;
    while (at < target) {
      zeros.clear();
      zeros.limit((int) Math.min(ZEROS_CHUNK, target - at));
      while (zeros.hasRemaining()) {
        at += file.write(zeros, at);
      }
    }
    allocated = at;
  }
}
