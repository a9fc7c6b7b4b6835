package io.warrenmq.serverconfig;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the test server's {@code standalone/log/server.log} from a mark, so a test sees only the
 * lines logged since it started.
 */
final class ServerLog {

  /**
   * A line's level in WildFly's default file pattern: {@code <date> <time> LEVEL [category] ...}.
   */
  private static final Pattern WARN_OR_ERROR =
      Pattern.compile("^\\S+ \\S+ (WARN|ERROR|FATAL)\\s+\\[.*");

  private static final Pattern ERROR = Pattern.compile("^\\S+ \\S+ (ERROR|FATAL)\\s+\\[.*");

  private final Path file;

  private ServerLog(Path file) {
    this.file = file;
  }

  static ServerLog ofTestServer() {
    return of(Path.of(System.getProperty("jboss.home")));
  }

  /** The log of the server whose WildFly home is {@code jbossHome}. */
  static ServerLog of(Path jbossHome) {
    return new ServerLog(jbossHome.resolve(Path.of("standalone", "log", "server.log")));
  }

  /** The current end of the log, in bytes; pass it to the other methods. */
  long mark() throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /** WARN and ERROR lines since {@code mark} that come from or mention WarrenMQ. */
  List<String> warningsAboutWarrenSince(long mark) throws IOException {
    return linesSince(mark).stream()
        .filter(line -> WARN_OR_ERROR.matcher(line).matches())
        .filter(line -> line.toLowerCase(Locale.ROOT).contains("warren"))
        .toList();
  }

  /** ERROR lines since {@code mark}, whatever their source. */
  List<String> errorsSince(long mark) throws IOException {
    return linesSince(mark).stream().filter(line -> ERROR.matcher(line).matches()).toList();
  }

  /** Lines since {@code mark} that contain {@code text}. */
  List<String> linesContainingSince(long mark, String text) throws IOException {
    return linesSince(mark).stream().filter(line -> line.contains(text)).toList();
  }

  private List<String> linesSince(long mark) throws IOException {
    try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
      long length = log.length();
      if (length <= mark) {
        return List.of();
      }
      byte[] tail = new byte[Math.toIntExact(length - mark)];
      log.seek(mark);
      log.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8).lines().toList();
    }
  }
}
