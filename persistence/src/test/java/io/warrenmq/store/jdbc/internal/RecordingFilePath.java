package io.warrenmq.store.jdbc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * Test file system scheme {@code warrenrec}: the disk files, with every write, truncation and force
 * of a file named {@code *.mv.db} appended to {@link #TRACE} in the order they reach the operating
 * system, so that a test can rebuild what a power loss could leave on the disk. One recording at a
 * time (tests that use it do not run in parallel with each other).
 */
public final class RecordingFilePath extends FilePathWrapper {
  static final String SCHEME = "warrenrec";

  /** What reached the operating system, in order. */
  sealed interface FileOp {}

  /** {@code bytes} written at {@code position}. */
  record Write(long position, byte[] bytes) implements FileOp {}

  /** The file cut to {@code size} bytes. */
  record Truncate(long size) implements FileOp {}

  /** {@code fsync}/{@code fdatasync}: everything before it is on the disk. */
  record Force() implements FileOp {}

  static final List<FileOp> TRACE = new ArrayList<>();

  /** Used by H2 through reflection. */
  public RecordingFilePath() {}

  static void register() {
    FilePath.register(new RecordingFilePath());
  }

  /** The number of operations recorded so far. */
  static int position() {
    synchronized (TRACE) {
      return TRACE.size();
    }
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    FileChannel base = getBase().open(mode);
    return name.endsWith(".mv.db") && !"r".equals(mode) ? new Recording(base) : base;
  }

  private static void log(FileOp op) {
    synchronized (TRACE) {
      TRACE.add(op);
    }
  }

  private static final class Recording extends ForwardingFileChannel {
    Recording(FileChannel file) {
      super(file);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      ByteBuffer copy = src.duplicate();
      int n = file.write(src, position);
      byte[] bytes = new byte[n];
      copy.get(bytes);
      log(new Write(position, bytes));
      return n;
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      file.truncate(size);
      log(new Truncate(size));
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      file.force(metaData);
      log(new Force());
    }
  }
}
