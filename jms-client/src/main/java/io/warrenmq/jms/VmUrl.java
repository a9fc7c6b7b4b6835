package io.warrenmq.jms;

import io.warrenmq.client.Passwords;
import jakarta.jms.JMSException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed connection URL {@code vm://<broker>[?option=value&...]}.
 *
 * @param broker the in-VM broker's name
 * @param clientId option {@code clientID}: the client ID of every connection, or null
 * @param user option {@code user}, or null
 * @param password option {@code password}, or null
 * @param prefetch option {@code prefetch}: unacknowledged messages per consumer, default 100
 * @param deserializationAllowList option {@code deserializationAllowList}, or null for the default
 * @param store the store settings ({@code store}, {@code dataDir}, {@code jdbcUrl}, {@code
 *     jdbcUser}, {@code jdbcPassword}, {@code durability}) and the broker's {@code
 *     queueWindowBytes} (paging); empty for the in-memory store. Without {@code durability} the
 *     store's default applies: {@code POWER_LOSS}, each confirmed send, commit or ack fsynced;
 *     {@code durability=PROCESS_CRASH} opts out of the fsync (a power loss or OS crash may then
 *     lose the last ~30 s of confirmed work; {@code io.warrenmq.store.jdbc.JdbcStoreConfig})
 */
record VmUrl(
    String broker,
    String clientId,
    String user,
    String password,
    Prefetch prefetch,
    String deserializationAllowList,
    Map<String, String> store) {

  private static final Set<String> STORE_OPTIONS =
      Set.of("store", "dataDir", "jdbcUrl", "jdbcUser", "jdbcPassword", "durability");

  private static final Set<String> OPTIONS =
      Set.of(
          "clientID",
          "user",
          "password",
          "prefetch",
          "prefetchSize",
          "deserializationAllowList",
          "queueWindowBytes",
          "store",
          "dataDir",
          "jdbcUrl",
          "jdbcUser",
          "jdbcPassword",
          "durability");

  /**
   * @throws JMSException naming the part of the URL that is wrong
   */
  static VmUrl parse(String url) throws JMSException {
    String shown = Passwords.mask(url); // errors never print a password
    if (url == null || !url.startsWith("vm://")) {
      throw new JMSException(
          "connection URL '" + shown + "' is not supported: expected vm://<broker>[?options]");
    }
    String rest = url.substring("vm://".length());
    int q = rest.indexOf('?');
    String broker = q < 0 ? rest : rest.substring(0, q);
    if (broker.isEmpty()) {
      throw new JMSException("connection URL '" + shown + "' names no broker: vm://<broker>");
    }
    Map<String, String> options = new LinkedHashMap<>();
    if (q >= 0 && q + 1 < rest.length()) {
      for (String pair : rest.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (!OPTIONS.contains(key)) {
          throw new JMSException(
              "connection URL '" + shown + "': unknown option '" + key + "'; known: " + OPTIONS);
        }
        options.put(key, value);
      }
    }
    Map<String, String> store = new LinkedHashMap<>();
    options.forEach(
        (k, v) -> {
          if (STORE_OPTIONS.contains(k)) {
            store.put(k, v);
          }
        });
    String kind =
        store.getOrDefault(
            "store",
            store.containsKey("dataDir") || store.containsKey("jdbcUrl") ? "jdbc" : "memory");
    if (kind.equals("memory")) {
      if (store.size() > (store.containsKey("store") ? 1 : 0)) {
        throw new JMSException(
            "connection URL '" + shown + "': store=memory takes no dataDir/jdbcUrl options");
      }
      store.clear();
    } else {
      store.put("store", kind);
    }
    if (options.containsKey("queueWindowBytes")) {
      long window;
      try {
        window = Long.parseLong(options.get("queueWindowBytes"));
      } catch (NumberFormatException e) {
        window = -1;
      }
      if (window < 1) {
        throw new JMSException(
            "connection URL '"
                + shown
                + "': option queueWindowBytes must be a whole number of bytes >= 1");
      }
      if (!store.isEmpty()) { // paging needs a store; in memory the option changes nothing
        store.put("queueWindowBytes", Long.toString(window));
      }
    }
    // in-VM the count stays 100 when unset: no network round trip to cover
    Prefetch prefetch = Prefetch.fromUrlOptions(options, shown, Prefetch.AUTOMATIC_WITHOUT_BYTES);
    return new VmUrl(
        broker,
        options.get("clientID"),
        options.get("user"),
        options.get("password"),
        prefetch,
        options.get("deserializationAllowList"),
        Map.copyOf(store));
  }
}
