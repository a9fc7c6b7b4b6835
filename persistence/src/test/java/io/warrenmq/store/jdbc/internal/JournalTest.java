package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal file's rules ({@link Journal}): what {@link Journal#replay} hands over after a run
 * that ended in any of the ways a crash or power loss can leave the file.
 */
class JournalTest {
  private static final long CAPACITY = Journal.GROWTH_STEP;

  @TempDir Path dir;

  @Test
  void recordsAboveTheDatabasesMarkAreReplayedInOrder() throws Exception {
    Path f = dir.resolve(Journal.FILE_NAME);
    try (Journal j = Journal.open(f, CAPACITY)) {
      for (long seq = 1; seq <= 5; seq++) {
        append(j, seq, "r" + seq);
      }
      j.force();
    }
    try (Journal j = Journal.open(f, CAPACITY)) {
      List<String> seen = new ArrayList<>();
      assertEquals(5, j.replay(2, (seq, payload) -> seen.add(seq + "=" + text(payload))));
      assertEquals(List.of("3=r3", "4=r4", "5=r5"), seen);
      assertEquals(0, j.position(), "the next record goes to the start");
    }
  }

  @Test
  void aTornLastRecordEndsTheReplayBeforeIt() throws Exception {
    Path f = dir.resolve(Journal.FILE_NAME);
    long third;
    try (Journal j = Journal.open(f, CAPACITY)) {
      append(j, 1, "one");
      append(j, 2, "two");
      third = j.position();
      append(j, 3, "three");
    }
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(third + Journal.HEADER_BYTES + 2); // a byte of the last payload
      raf.write('X');
    }
    try (Journal j = Journal.open(f, CAPACITY)) {
      List<Long> seen = new ArrayList<>();
      assertEquals(2, j.replay(0, (seq, payload) -> seen.add(seq)));
      assertEquals(List.of(1L, 2L), seen);
    }
  }

  @Test
  void recordsOfAnOlderRoundAfterTheNewestAreNotReplayed() throws Exception {
    Path f = dir.resolve(Journal.FILE_NAME);
    try (Journal j = Journal.open(f, CAPACITY)) {
      for (long seq = 1; seq <= 5; seq++) {
        append(j, seq, "old" + seq);
      }
      j.reset(); // a checkpoint: the database holds 1..5
      append(j, 6, "new6");
      append(j, 7, "new7");
      j.force();
    }
    try (Journal j = Journal.open(f, CAPACITY)) {
      List<String> seen = new ArrayList<>();
      assertEquals(7, j.replay(5, (seq, payload) -> seen.add(seq + "=" + text(payload))));
      assertEquals(List.of("6=new6", "7=new7"), seen, "old3..old5 follow them in the file");
    }
    try (Journal j = Journal.open(f, CAPACITY)) {
      List<Long> seen = new ArrayList<>();
      assertEquals(7, j.replay(7, (seq, payload) -> seen.add(seq)));
      assertTrue(seen.isEmpty(), "the database holds them all: " + seen);
    }
  }

  @Test
  void missingRecordsBetweenTheDatabaseAndTheJournalAreRefusedNamingTheFile() throws Exception {
    Path f = dir.resolve(Journal.FILE_NAME);
    try (Journal j = Journal.open(f, CAPACITY)) {
      append(j, 5, "five");
      append(j, 6, "six");
    }
    try (Journal j = Journal.open(f, CAPACITY)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> j.replay(2, (seq, payload) -> {}));
      assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
      assertTrue(
          e.getMessage().contains("up to 2 but the journal's next one is 5"), e.getMessage());
    }
  }

  @Test
  void anEmptyOrZeroFilledFileReplaysNothing() throws Exception {
    Path f = dir.resolve(Journal.FILE_NAME);
    try (Journal j = Journal.open(f, CAPACITY)) {
      assertEquals(9, j.replay(9, (seq, payload) -> {}));
    }
    Files.write(f, new byte[1 << 16]);
    try (Journal j = Journal.open(f, CAPACITY)) {
      assertEquals(9, j.replay(9, (seq, payload) -> {}));
    }
  }

  @Test
  void theFileGrowsInStepsAheadOfTheRecordsAndARecordPastTheCapacityDoesNotFit() throws Exception {
    Path f = dir.resolve(Journal.FILE_NAME);
    try (Journal j = Journal.open(f, CAPACITY)) {
      append(j, 1, "x");
      assertEquals(Journal.GROWTH_STEP, Files.size(f), "grown by one step, zeroed");
      assertTrue(j.fits((int) (CAPACITY - j.position() - Journal.HEADER_BYTES)));
      assertFalse(j.fits((int) (CAPACITY - j.position() - Journal.HEADER_BYTES + 1)));
    }
  }

  private static void append(Journal j, long seq, String payload) throws Exception {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    byte[] record = new byte[Journal.HEADER_BYTES + p.length];
    System.arraycopy(p, 0, record, Journal.HEADER_BYTES, p.length);
    j.append(seq, record, record.length);
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
