package io.warrenmq.store.jdbc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The embedded store's write-ahead journal ({@code <dataDir>/warren.journal}): an append-only file
 * of records, each the net writes of one group commit ({@link JournalCodec}), made durable with one
 * {@code fdatasync} of this file instead of an fsync of the H2 database, which then writes its
 * pages only when its buffer fills ({@code WRITE_DELAY}, {@code JdbcStoreConfig}) and is synced
 * only at checkpoints. A record is appended only after its commit succeeded in H2, so replaying it
 * cannot fail where the original did not.
 *
 * <p>Layout of a record, big-endian: {@code int} magic {@code 0x574A524E} ("WJRN"), {@code int}
 * payload length (bytes, at least 1), {@code long} sequence number, {@code int} CRC-32C of the
 * sequence number and the payload, then the payload. Sequence numbers grow by one per record across
 * the journal's whole life; the database keeps the number of the last record it holds ({@code
 * warren_store_state.journal_seq}, written in the same transaction as the record's writes).
 *
 * <p>The file is reused, never truncated: after a checkpoint (the database synced, so it holds
 * every record written so far) the journal starts again at offset 0 ({@link #reset}). Records of an
 * older round that follow the newest ones have lower sequence numbers, and reading stops at the
 * first record that is not valid (magic, length, checksum) or whose number does not follow the one
 * before: a torn write, zeros, or an older round. The file grows in steps of {@link #GROWTH_STEP}
 * zeroed and synced bytes, ahead of the records, so that a record's {@code fdatasync} never has to
 * change the file's size (on this project's machines a 4 KiB write and {@code fdatasync} inside a
 * written file takes about a fifth of an H2 commit's sync, docs/performance.md "The cost of one
 * sync").
 *
 * <p>Not thread-safe: the store's writer thread owns it (recovery runs before that thread starts).
 */
public final class Journal implements AutoCloseable {
  /** The journal's file name inside the store's data directory. */
  public static final String FILE_NAME = "warren.journal";

  /** Bytes of a record's header. */
  static final int HEADER_BYTES = 20;

  /** How far ahead of the records the file is grown with zeros, bytes: 4 MiB. */
  public static final long GROWTH_STEP = 4L << 20;

  private static final int MAGIC = 0x574A524E;

  private final FileChannel channel;
  private final Path file;
  private final long capacity;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
  private long allocated; // bytes of the file known to be written (zeros or records) and synced
  private long position; // where the next record goes

  private Journal(FileChannel channel, Path file, long capacity) throws IOException {
    this.channel = channel;
    this.file = file;
    this.capacity = capacity;
    this.allocated = channel.size();
  }

  /**
   * Opens (creating it empty if absent) the journal file. Nothing is read: {@link #replay} reads
   * what a previous run left.
   *
   * @param capacity bytes after which the writer checkpoints and starts again at offset 0; at least
   *     {@link #GROWTH_STEP}
   * @throws IOException if the file cannot be opened or created
   */
  public static Journal open(Path file, long capacity) throws IOException {
    if (capacity < GROWTH_STEP) {
      throw new IllegalArgumentException(
          "journal capacity must be at least " + GROWTH_STEP + " bytes, was " + capacity);
    }
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new Journal(ch, file, capacity);
  }

  /** The journal's file. */
  public Path file() {
    return file;
  }

  /** Where the next record goes (bytes from the start): 0 after a {@link #reset}. */
  public long position() {
    return position;
  }

  /** What {@link #replay} hands over: one valid record. */
  @FunctionalInterface
  public interface RecordHandler {
    /**
     * @param seq the record's sequence number
     * @param payload its payload (a fresh array)
     */
    void record(long seq, byte[] payload) throws Exception;
  }

  /**
   * Reads the records from offset 0 and hands over, in order, those numbered above {@code applied}:
   * the records the database does not hold. Reading stops at the first invalid record or break in
   * the numbering (module doc). The next {@link #append} goes to offset 0: call {@link #reset} only
   * after the database holds what was handed over and is synced.
   *
   * @param applied the number of the last record the database holds ({@code journal_seq})
   * @return the number of the last record handed over, or {@code applied} if none
   * @throws IllegalStateException if the first record numbered above {@code applied} is not {@code
   *     applied + 1}: records are missing between the database and the journal
   * @throws Exception what {@code handler} throws, or an I/O failure
   */
  public long replay(long applied, RecordHandler handler) throws Exception {
    long size = channel.size();
    long at = 0;
    long previous = Long.MIN_VALUE;
    long last = applied;
    ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
    while (at + HEADER_BYTES <= size) {
      head.clear();
      readFully(head, at);
      head.flip();
      int magic = head.getInt();
      int length = head.getInt();
      long seq = head.getLong();
      int checksum = head.getInt();
      if (magic != MAGIC || length < 1 || at + HEADER_BYTES + length > size) {
        break;
      }
      if (previous != Long.MIN_VALUE && seq != previous + 1) {
        break; // an older round of the file
      }
      ByteBuffer payload = ByteBuffer.allocate(length);
      readFully(payload, at + HEADER_BYTES);
      if (checksum != checksum(seq, payload.array(), length)) {
        break; // torn
      }
      if (seq > applied) {
        if (seq != last + 1) {
          throw new IllegalStateException(
              "store journal "
                  + file
                  + ": the database holds records up to "
                  + applied
                  + " but the journal's next one is "
                  + seq
                  + "; records are missing (was the database file replaced without its journal?)."
                  + " Restore the data directory from a backup, or move "
                  + FILE_NAME
                  + " away to start from the database alone");
        }
        handler.record(seq, payload.array());
        last = seq;
      }
      previous = seq;
      at += HEADER_BYTES + length;
    }
    position = 0;
    return last;
  }

  /**
   * Whether a record of {@code payloadLength} bytes fits before the capacity; if not, the writer
   * checkpoints (the database synced) and {@link #reset}s instead of appending it.
   */
  public boolean fits(int payloadLength) {
    return position + HEADER_BYTES + payloadLength <= capacity;
  }

  /**
   * Writes a record at the current position (not synced: {@link #force}). {@code record} holds the
   * payload from index {@link #HEADER_BYTES} to {@code end}; its first {@link #HEADER_BYTES} bytes
   * are overwritten with the header, so the record goes out in one write.
   *
   * @throws IOException if the write or the growth of the file fails: the record may be partly
   *     written, and the writer must not append after it before a checkpoint and {@link #reset}
   */
  public void append(long seq, byte[] record, int end) throws IOException {
    int length = end - HEADER_BYTES;
    if (length < 1) {
      throw new IllegalArgumentException("empty journal record");
    }
    ByteBuffer h = ByteBuffer.wrap(record, 0, HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
    h.putInt(MAGIC).putInt(length).putLong(seq).putInt(checksum(seq, record, HEADER_BYTES, length));
    long end64 = position + end;
    if (end64 > allocated) {
      grow(end64);
    }
    ByteBuffer b = ByteBuffer.wrap(record, 0, end);
    long at = position;
    while (b.hasRemaining()) {
      at += channel.write(b, at);
    }
    position = end64;
  }

  /** Makes every record written so far durable ({@code fdatasync}). */
  public void force() throws IOException {
    channel.force(false);
  }

  /**
   * The next record goes to offset 0: call after a checkpoint, when the database holds them all.
   */
  public void reset() {
    position = 0;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Zeros from the allocated end to a step past {@code end}, synced with the file's new size. */
  private void grow(long end) throws IOException {
    long target = Math.max(end, allocated + GROWTH_STEP);
    ByteBuffer zeros = ByteBuffer.allocate(64 << 10);
    long at = allocated;
    while (at < target) {
      zeros.clear();
      zeros.limit((int) Math.min(zeros.capacity(), target - at));
      at += channel.write(zeros, at);
    }
    channel.force(true);
    allocated = target;
  }

  private void readFully(ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      int n = channel.read(b, at);
      if (n < 0) {
        throw new IOException("journal " + file + " ended inside a record");
      }
      at += n;
    }
  }

  private int checksum(long seq, byte[] payload, int length) {
    return checksum(seq, payload, 0, length);
  }

  private int checksum(long seq, byte[] data, int offset, int length) {
    crc.reset();
    header.clear();
    header.putLong(seq).flip();
    crc.update(header);
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }
}
