package io.warrenmq.server.internal.config;

import java.util.List;

/**
 * One {@code key = value} line of a configuration file.
 *
 * @param key the key as written, dots separating its parts (an escaped dot {@code \.} stays escaped
 *     here, as a message shows it)
 * @param parts the key's parts, escaped dots resolved: {@code loopback_users.john\.doe} is {@code
 *     [loopback_users, john.doe]}
 * @param value the value: without surrounding white space and without a trailing comment, or the
 *     text between single quotes
 * @param line the line number, from 1
 */
public record ConfEntry(String key, List<String> parts, String value, int line) {
  public ConfEntry {
    parts = List.copyOf(parts);
  }
}
