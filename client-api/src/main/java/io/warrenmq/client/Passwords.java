package io.warrenmq.client;

import java.util.regex.Pattern;

/**
 * Masks passwords in text about to be printed: connection URLs ({@code vm://} options {@code
 * password} and {@code jdbcPassword}), JDBC URLs ({@code password=} parameters of PostgreSQL's
 * {@code ?...&...} and H2's {@code ;...} syntax, a {@code user:password@} part) and settings
 * printed as {@code name=value}. The one helper every module uses before a URL or store setting
 * goes into an exception message or a log line (STYLE.md: never print a password).
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class Passwords {

  /** What a password is replaced with. */
  public static final String MASK = "****";

  /**
   * {@code ...password=value} (any key ending in "password", any case, e.g. {@code jdbcPassword},
   * {@code PASSWORD}), also URL-encoded ({@code password%3Dvalue} inside an encoded option); the
   * value ends at {@code &}, {@code ;}, white space, a comma or a closing bracket, or their
   * URL-encoded forms.
   */
  private static final Pattern KEY_VALUE =
      Pattern.compile("(?i)(\\w*password(?:=|%3D))((?:%(?!26|3B|2C)[0-9a-f]{2}|[^&;,\\s\\]}%])*)");

  /** {@code scheme://user:password@host}: the password of a URL's user-info part. */
  private static final Pattern USER_INFO = Pattern.compile("(://[^/:@\\s?]*:)([^@/\\s]+)(@)");

  private Passwords() {}

  /**
   * The text with every password replaced by {@link #MASK}.
   *
   * @param text may be null
   * @return null for null, else the text with its passwords masked (unchanged if it has none)
   */
  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = KEY_VALUE.matcher(text).replaceAll("$1" + MASK);
    return USER_INFO.matcher(masked).replaceAll("$1" + MASK + "$3");
  }
}
