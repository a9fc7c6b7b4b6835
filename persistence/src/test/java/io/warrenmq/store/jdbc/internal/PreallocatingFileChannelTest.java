package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PreallocatingFileChannel}: the file grows ahead in steps; H2 sees the logical size. */
class PreallocatingFileChannelTest {
  @TempDir Path dir;

  private FileChannel open(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  @Test
  void anAppendGrowsTheFileByAStepOfZerosWhileSizeReportsWhatWasWritten() throws IOException {
    Path file = dir.resolve("f");
    try (PreallocatingFileChannel c = new PreallocatingFileChannel(open(file))) {
      c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
      assertEquals(3, c.size());
      assertEquals(3 + PreallocatingFileChannel.MIN_STEP, c.allocatedSize());
      assertEquals(c.allocatedSize(), Files.size(file));

      // a write inside the allocated space does not grow the file
      c.write(ByteBuffer.wrap(new byte[] {4, 5}), 4096);
      assertEquals(4098, c.size());
      assertEquals(3 + PreallocatingFileChannel.MIN_STEP, Files.size(file));

      ByteBuffer back = ByteBuffer.allocate(4098);
      c.read(back, 0);
      assertArrayEquals(new byte[] {1, 2, 3, 0}, Arrays.copyOf(back.array(), 4));
      assertEquals(4, back.get(4096));
    }
  }

  @Test
  void theStepIsAQuarterOfTheFileBetweenOneAndSixteenMebibytes() throws IOException {
    Path file = dir.resolve("f");
    try (PreallocatingFileChannel c = new PreallocatingFileChannel(open(file))) {
      long at = 8L << 20; // a write at 8 MiB: step 2 MiB
      c.write(ByteBuffer.wrap(new byte[] {7}), at);
      assertEquals(at + 1 + (at + 1) / 4, c.allocatedSize());
      long far = 72L << 20; // at 72 MiB: a quarter is 18 MiB, capped at 16 MiB
      c.write(ByteBuffer.wrap(new byte[] {8}), far);
      assertEquals(far + 1 + PreallocatingFileChannel.MAX_STEP, c.allocatedSize());
      assertEquals(far + 1, c.size());
    }
  }

  @Test
  void aTruncationReachesTheFileAndTheLogicalSize() throws IOException {
    Path file = dir.resolve("f");
    try (PreallocatingFileChannel c = new PreallocatingFileChannel(open(file))) {
      c.write(ByteBuffer.wrap(new byte[8192]), 0);
      c.truncate(4096);
      assertEquals(4096, c.size());
      assertEquals(4096, Files.size(file));
      assertEquals(4096, c.allocatedSize());
      c.write(ByteBuffer.wrap(new byte[] {1}), 4096); // grows again
      assertEquals(4097, c.size());
      assertTrue(Files.size(file) > 4097);
    }
  }

  @Test
  void aFileThatEndsInPreallocatedZerosOpensWithItsWholeLengthAsItsSize() throws IOException {
    Path file = dir.resolve("f");
    try (PreallocatingFileChannel c = new PreallocatingFileChannel(open(file))) {
      c.write(ByteBuffer.wrap(new byte[] {1}), 0);
    } // no truncation: as after a crash
    long onDisk = Files.size(file);
    try (PreallocatingFileChannel c = new PreallocatingFileChannel(open(file))) {
      assertEquals(onDisk, c.size());
      assertEquals(onDisk, c.allocatedSize());
    }
  }
}
