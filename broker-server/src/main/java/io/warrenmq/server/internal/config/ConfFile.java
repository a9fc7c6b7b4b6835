package io.warrenmq.server.internal.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a configuration file in RabbitMQ's {@code rabbitmq.conf} format, the sysctl-like
 * "new style" of https://www.rabbitmq.com/docs/configure (read by RabbitMQ's Cuttlefish library),
 * without interpreting any key:
 *
 * <ul>
 *   <li>{@code key = value}, white space around both ignored; a key is words of letters, digits,
 *       {@code _} and {@code -} joined by dots, a literal dot inside a word written {@code \.};
 *   <li>a value runs to the end of the line or to a {@code #}, which starts a comment; a value
 *       between single quotes ({@code 'a#b c'}) is taken as it is, {@code #} included;
 *   <li>a line whose first non-blank character is {@code #} is a comment; blank lines are ignored;
 *       line ends are LF or CRLF; the file is UTF-8.
 * </ul>
 *
 * Cuttlefish's {@code include} lines are refused (one file holds the whole configuration).
 * Duplicate keys are kept here, in order; {@link SettingsReader} applies the last one, as
 * Cuttlefish does.
 *
 * <p>Thread-safety: immutable.
 */
public final class ConfFile {
  private final String source;
  private final List<ConfEntry> entries;

  private ConfFile(String source, List<ConfEntry> entries) {
    this.source = source;
    this.entries = List.copyOf(entries);
  }

  /**
   * Reads and parses a file.
   *
   * @throws ConfigException if the file cannot be read, is not UTF-8, or has a line that is not a
   *     setting, a comment or blank (naming the file and line)
   */
  public static ConfFile read(Path file) {
    String name = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, null, "configuration file not found");
    } catch (IOException e) {
      throw new ConfigException(name, null, "configuration file cannot be read: " + e);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(name, null, "configuration file is not UTF-8 text");
    }
    return parse(name, text);
  }

  /**
   * Parses configuration text.
   *
   * @param source names the text in messages (a file name)
   * @throws ConfigException naming the line that is not a setting, a comment or blank
   */
  public static ConfFile parse(String source, String text) {
    List<ConfEntry> entries = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      ConfEntry entry = new LineParser(source, i + 1, line).parse();
      if (entry != null) {
        entries.add(entry);
      }
    }
    return new ConfFile(source, entries);
  }

  /** What messages name the file by (its path as given). */
  public String source() {
    return source;
  }

  /** The settings, in file order, duplicates included. */
  public List<ConfEntry> entries() {
    return entries;
  }

  /** One line: a setting, or null for a comment or a blank line. */
  private static final class LineParser {
    private final String source;
    private final int number;
    private final String line;
    private int pos;

    LineParser(String source, int number, String line) {
      this.source = source;
      this.number = number;
      this.line = line;
    }

    ConfEntry parse() {
      skipBlanks();
      if (pos == line.length() || line.charAt(pos) == '#') {
        return null;
      }
      int keyStart = pos;
      List<String> parts = key();
      String key = line.substring(keyStart, pos);
      if (parts.isEmpty()) {
        throw error(
            null,
            "expected 'key = value' (a key is words of letters, digits, '_' and '-' joined by"
                + " dots), a comment starting with # or a blank line");
      }
      if ("include".equals(key) && pos < line.length() && isBlank(line.charAt(pos))) {
        throw error(null, "'include' is not supported: put every key in this one file");
      }
      skipBlanks();
      if (pos == line.length() || line.charAt(pos) != '=') {
        throw error(
            key,
            "expected '=' after the key (keys are words of letters, digits, '_' and '-' joined by"
                + " dots)");
      }
      pos++;
      skipBlanks();
      if (pos == line.length() || line.charAt(pos) == '#') {
        throw error(key, "no value after '='");
      }
      String value;
      if (line.charAt(pos) == '\'') {
        int close = line.indexOf('\'', pos + 1);
        if (close < 0) {
          throw error(key, "the value's opening quote (') has no closing quote on this line");
        }
        value = line.substring(pos + 1, close);
        pos = close + 1;
        skipBlanks();
        if (pos < line.length() && line.charAt(pos) != '#') {
          throw error(key, "text after the closing quote; only a comment (#) may follow it");
        }
      } else {
        int end = line.indexOf('#', pos);
        value = line.substring(pos, end < 0 ? line.length() : end).strip();
      }
      return new ConfEntry(key, parts, value, number);
    }

    /** The key's parts, or an empty list when no key starts here. */
    private List<String> key() {
      List<String> parts = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      while (pos < line.length()) {
        char c = line.charAt(pos);
        if (c == '\\' && pos + 1 < line.length() && line.charAt(pos + 1) == '.') {
          word.append('.');
          pos += 2;
        } else if (isWordChar(c)) {
          word.append(c);
          pos++;
        } else if (c == '.' && word.length() > 0) {
          parts.add(word.toString());
          word.setLength(0);
          pos++;
        } else {
          break;
        }
      }
      if (word.length() == 0) {
        return List.of(); // nothing, or a key ending in a dot
      }
      parts.add(word.toString());
      return parts;
    }

    private void skipBlanks() {
      while (pos < line.length() && isBlank(line.charAt(pos))) {
        pos++;
      }
    }

    private ConfigException error(String key, String problem) {
      return new ConfigException(source + ":" + number, key, problem);
    }

    private static boolean isBlank(char c) {
      return c == ' ' || c == '\t';
    }

    private static boolean isWordChar(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-';
    }
  }
}
