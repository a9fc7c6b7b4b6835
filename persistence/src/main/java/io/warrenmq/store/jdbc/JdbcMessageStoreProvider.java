package io.warrenmq.store.jdbc;

import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.MessageStoreProvider;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code jdbc} {@link MessageStoreProvider}: settings {@code dataDir} (an H2 file database
 * there) or {@code jdbcUrl} with {@code jdbcUser} and {@code jdbcPassword}, and {@code durability}
 * ({@code POWER_LOSS}, the default: fsync before confirm, or {@code PROCESS_CRASH}, see {@link
 * JdbcStoreConfig.Durability}). Registered for {@link java.util.ServiceLoader}. Stateless and
 * thread-safe.
 */
public final class JdbcMessageStoreProvider implements MessageStoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public JdbcMessageStoreProvider() {}

  @Override
  public String name() {
    return "jdbc";
  }

  /**
   * @throws IllegalArgumentException if neither or both of {@code dataDir} and {@code jdbcUrl} are
   *     set, or {@code durability} is unknown
   */
  @Override
  public MessageStore open(Map<String, String> settings, String brokerName) {
    return JdbcMessageStore.open(config(settings), brokerName);
  }

  /** The store configuration the settings describe. */
  public static JdbcStoreConfig config(Map<String, String> settings) {
    String dataDir = blankToNull(settings.get("dataDir"));
    String jdbcUrl = blankToNull(settings.get("jdbcUrl"));
    if ((dataDir == null) == (jdbcUrl == null)) {
      throw new IllegalArgumentException(
          "store setting: give exactly one of dataDir (an H2 file database) and jdbcUrl");
    }
    JdbcStoreConfig config =
        dataDir != null
            ? JdbcStoreConfig.h2(Path.of(dataDir))
            : JdbcStoreConfig.jdbc(
                jdbcUrl, blankToNull(settings.get("jdbcUser")), settings.get("jdbcPassword"));
    String durability = blankToNull(settings.get("durability"));
    if (durability != null) {
      try {
        config =
            config.withDurability(
                JdbcStoreConfig.Durability.valueOf(durability.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "store setting durability is '" + durability + "'; allowed: POWER_LOSS, PROCESS_CRASH");
      }
    }
    return config;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
