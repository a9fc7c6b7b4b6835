package io.warrenmq.serverconfig.payara;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Payara domain's {@code server.log}, in Payara's default ODL format, as log records from a
 * mark, so a test sees only what was logged since it started. A record is {@code [time] [Payara
 * <version>] [LEVEL] [message id] [logger] [tid: ...] ... [[}, then the message (with its stack
 * trace, if any) on the following lines up to {@code ]]}.
 *
 * <p>Payara writes the log from a queue on its own thread, so a record may reach the file a moment
 * after the call that logged it returned: {@link #awaitQuiet} before asserting that something was
 * not logged, {@link #awaitRecord} to find something that was.
 */
final class PayaraServerLog {

  /** One ODL record: level as Payara writes it (SEVERE, WARNING, INFO, ...), logger, message. */
  record LogRecord(String level, String logger, String message) {
    @Override
    public String toString() {
      return "[" + level + "] [" + logger + "] " + message;
    }
  }

  /** The first line of a record: time, product, level, message id, logger. */
  private static final Pattern HEADER =
      Pattern.compile(
          "^\\[(\\d{4}-\\d\\d-\\d\\dT[^\\]]*)\\] \\[[^\\]]*\\] \\[([A-Z]+)\\] \\[[^\\]]*\\] \\[([^\\]]*)\\]");

  private static final Pattern RECORD_START =
      Pattern.compile("^\\[\\d{4}-\\d\\d-\\d\\dT", Pattern.MULTILINE);

  private static final Duration POLL = Duration.ofMillis(100);

  private final Path file;

  private PayaraServerLog(Path file) {
    this.file = file;
  }

  static PayaraServerLog of(Path file) {
    return new PayaraServerLog(file);
  }

  Path file() {
    return file;
  }

  /** The current end of the log, in bytes; pass it to the other methods. */
  long mark() throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /**
   * The records written since {@code mark}.
   *
   * @throws IllegalStateException if the log is shorter than {@code mark}: Payara rotated it
   */
  List<LogRecord> recordsSince(long mark) throws IOException {
    String text = textSince(mark);
    List<LogRecord> records = new ArrayList<>();
    Matcher start = RECORD_START.matcher(text);
    List<Integer> starts = new ArrayList<>();
    while (start.find()) {
      starts.add(start.start());
    }
    for (int i = 0; i < starts.size(); i++) {
      String chunk =
          text.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : text.length());
      Matcher header = HEADER.matcher(chunk);
      if (!header.find()) {
        continue;
      }
      int open = chunk.indexOf("[[");
      int close = chunk.lastIndexOf("]]");
      String message = open >= 0 && close > open ? chunk.substring(open + 2, close).strip() : "";
      records.add(new LogRecord(header.group(2), header.group(3), message));
    }
    return records;
  }

  /** SEVERE records since {@code mark}, whatever their source. */
  List<LogRecord> severeSince(long mark) throws IOException {
    return recordsSince(mark).stream().filter(r -> r.level().equals("SEVERE")).toList();
  }

  /** SEVERE and WARNING records since {@code mark} whose logger or message mentions warren. */
  List<LogRecord> warningsAboutWarrenSince(long mark) throws IOException {
    return recordsSince(mark).stream()
        .filter(r -> r.level().equals("SEVERE") || r.level().equals("WARNING"))
        .filter(r -> (r.logger() + " " + r.message()).toLowerCase(Locale.ROOT).contains("warren"))
        .toList();
  }

  /**
   * Waits until the log has not grown for {@code quiet}, for at most 30 s: the records of what
   * happened before the call have then been written.
   */
  void awaitQuiet(Duration quiet) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long size = mark();
    long stableSince = System.nanoTime();
    while (System.nanoTime() - stableSince < quiet.toNanos() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
      long now = mark();
      if (now != size) {
        size = now;
        stableSince = System.nanoTime();
      }
    }
  }

  /**
   * Waits up to {@code timeout} for the first record since {@code mark} whose message contains
   * {@code text}.
   *
   * @return that record, or null if none appeared in time
   */
  LogRecord awaitRecord(long mark, String text, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (LogRecord r : recordsSince(mark)) {
        if (r.message().contains(text)) {
          return r;
        }
      }
      TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
    } while (System.nanoTime() < deadline);
    return null;
  }

  private String textSince(long mark) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
      long length = log.length();
      if (length < mark) {
        throw new IllegalStateException(
            file + " is shorter than the mark " + mark + ": Payara rotated it since");
      }
      byte[] tail = new byte[Math.toIntExact(length - mark)];
      log.seek(mark);
      log.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8);
    }
  }
}
