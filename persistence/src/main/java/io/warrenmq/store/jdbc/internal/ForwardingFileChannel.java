package io.warrenmq.store.jdbc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel that hands every call to another one, for subclasses that change how writes,
 * truncations and syncs reach it ({@link WriteBarrierChannel}). Relative writes, gathering writes,
 * {@code transferFrom} and writable mappings are expressed through (or refused in favour of) the
 * positional {@link #write(ByteBuffer, long)}, so that a subclass sees every write there. Reads,
 * positions, locks and {@code transferTo} go straight through. Thread-safety is the underlying
 * channel's, plus what a subclass adds.
 */
abstract class ForwardingFileChannel extends FileChannel {
  /** The channel every call ends in. */
  protected final FileChannel file;

  protected ForwardingFileChannel(FileChannel file) {
    this.file = file;
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return file.write(src, position);
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    file.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    file.force(metaData);
  }

  /** A relative write, done as a positional one at the current position, which it then advances. */
  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    long at = file.position();
    int n = write(src, at);
    file.position(at + n);
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      total += write(srcs[i]);
    }
    return total;
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new UnsupportedOperationException("transferFrom would bypass write(ByteBuffer, long)");
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    if (mode != MapMode.READ_ONLY) {
      throw new UnsupportedOperationException("a writable mapping would bypass write()");
    }
    return file.map(mode, position, size);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return file.read(dst);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return file.read(dst, position);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return file.read(dsts, offset, length);
  }

  @Override
  public long position() throws IOException {
    return file.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    file.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return file.transferTo(position, count, target);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return file.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return file.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    file.close();
  }
}
