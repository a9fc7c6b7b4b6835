package io.warrenmq.ra.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites an {@code amqp://} or {@code amqps://} connection URL for one use of the adapter: the
 * virtual host of a connection definition or activation replaces the URL's path, and the adapter's
 * prefetch replaces the URL's {@code prefetch} option. Everything else (user, password, host, port,
 * TLS and timeout options) is kept as written.
 */
public final class RemoteUrl {
  private RemoteUrl() {}

  /** Whether {@code url} names a remote broker ({@code amqp://} or {@code amqps://}). */
  public static boolean isRemote(String url) {
    if (url == null) {
      return false;
    }
    String u = url.trim().toLowerCase(java.util.Locale.ROOT);
    return u.startsWith("amqp://") || u.startsWith("amqps://");
  }

  /**
   * The URL with this virtual host (null: keep the URL's path, whose default is {@code /}) and this
   * prefetch.
   *
   * @param url an {@code amqp://} or {@code amqps://} URL
   * @param virtualHost the virtual host, or null to keep the URL's
   * @param prefetch messages per consumer, at least 1
   */
  public static String with(String url, String virtualHost, int prefetch) {
    String u = url.trim();
    int scheme = u.indexOf("://") + 3;
    int query = u.indexOf('?', scheme);
    String beforeQuery = query < 0 ? u : u.substring(0, query);
    String options = query < 0 ? "" : u.substring(query + 1);
    int slash = beforeQuery.indexOf('/', scheme);
    String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
    String path = slash < 0 ? "" : beforeQuery.substring(slash);
    if (virtualHost != null) {
      path = "/" + URLEncoder.encode(virtualHost, StandardCharsets.UTF_8).replace("+", "%20");
    }
    StringBuilder kept = new StringBuilder();
    for (String option : options.split("&")) {
      if (!option.isEmpty() && !option.startsWith("prefetch=") && !option.equals("prefetch")) {
        kept.append(option).append('&');
      }
    }
    kept.append("prefetch=").append(prefetch);
    return authority + path + "?" + kept;
  }
}
