package io.warrenmq.server.internal.config;

/**
 * A configuration file the server refuses, with a message that says where (file and line), which
 * key, and what was expected, in one line. Never carries a password.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param where the file and line, e.g. {@code /etc/warrenmq.conf:12}, or what stands for the
   *     default when the key is not in the file
   * @param key the key the problem is about, null for a line that is not a setting
   * @param problem what was wrong and what is expected
   */
  public ConfigException(String where, String key, String problem) {
    super(where + ": " + (key == null ? "" : key + ": ") + problem);
    this.key = key;
  }

  /** The key the problem is about, or null for a line that is not a setting. */
  public String key() {
    return key;
  }
}
