package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteBarrierChannel} with a sync from another thread ({@link WriteBarrierChannel#sync}),
 * as the group commit's sync stage does it: the sync holds up no write, and a write that overlapped
 * it is still unsynced for the barrier.
 */
@Timeout(30)
class WriteBarrierChannelTest {
  @TempDir Path dir;

  /** A file channel whose forces wait until the test lets them through. */
  private static final class SlowForce extends ForwardingFileChannel {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    SlowForce(FileChannel file) {
      super(file);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      super.force(metaData);
    }
  }

  private static ByteBuffer block() {
    return ByteBuffer.allocate(4096);
  }

  @Test
  void aSyncFromAnotherThreadHoldsUpNoWriteAndAWriteDuringItStaysUnsynced() throws Exception {
    Path file = dir.resolve("warren.mv.db");
    SlowForce slow =
        new SlowForce(
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE));
    try (WriteBarrierChannel channel = new WriteBarrierChannel(slow, file.toString())) {
      channel.write(block(), 0);
      CompletableFuture<Void> sync =
          CompletableFuture.runAsync(
              () -> {
                try {
                  WriteBarrierChannel.sync(file);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      assertTrue(slow.entered.await(10, TimeUnit.SECONDS), "the sync began");
      CompletableFuture<Integer> append =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return channel.write(block(), 4096);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      assertEquals(4096, append.get(10, TimeUnit.SECONDS), "the append did not wait for the sync");
      slow.release.countDown();
      sync.get(10, TimeUnit.SECONDS);

      long barriers = WriteBarrierChannel.barrierSyncs(file);
      channel.write(block(), 0); // an overwrite after the append the sync may have missed
      assertEquals(
          barriers + 1,
          WriteBarrierChannel.barrierSyncs(file),
          "the append made during the sync was synced before the overwrite");

      WriteBarrierChannel.sync(file);
      channel.write(block(), 4096); // an overwrite with everything synced
      assertEquals(barriers + 1, WriteBarrierChannel.barrierSyncs(file), "no barrier needed");
    }
  }

  @Test
  void aFileThatIsNotOpenCannotBeSyncedAndTheErrorNamesIt() throws Exception {
    Path file = dir.resolve("closed.mv.db");
    WriteBarrierChannel channel =
        new WriteBarrierChannel(
            FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            file.toString());
    WriteBarrierChannel.sync(file);
    channel.close();
    IOException e = assertThrows(IOException.class, () -> WriteBarrierChannel.sync(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
