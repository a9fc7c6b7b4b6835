package io.warrenmq.engine;

import java.util.Map;

/**
 * Opens a {@link MessageStore} from text settings, found with {@link java.util.ServiceLoader}: it
 * lets a layer that must not depend on a store implementation (the JMS provider's {@code
 * vm://<broker>?dataDir=...} URLs) open one when it is on the class path. The JDBC store registers
 * one named {@code jdbc}.
 *
 * <p>Thread-safety: implementations are stateless and thread-safe.
 */
public interface MessageStoreProvider {

  /** The provider's name, as given in a {@code store=<name>} setting, e.g. {@code jdbc}. */
  String name();

  /**
   * Opens a store.
   *
   * @param settings the provider's knobs by name (for {@code jdbc}: {@code dataDir}, {@code
   *     jdbcUrl}, {@code jdbcUser}, {@code jdbcPassword}, {@code durability}); unknown names are
   *     ignored
   * @param brokerName the broker's name, for thread names
   * @return an open store, to be handed to {@link Broker#withStore}
   * @throws IllegalArgumentException naming the setting that is wrong
   * @throws IllegalStateException if the store cannot be opened (database unreachable, schema of a
   *     newer version), with the cause attached
   */
  MessageStore open(Map<String, String> settings, String brokerName);
}
