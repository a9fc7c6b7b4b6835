package io.warrenmq.jms.internal.failover;

import io.warrenmq.client.Passwords;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a wire URL that lists several brokers, {@code
 * amqp://[user[:password]@]host1[:port1],host2[:port2],...[/vhost][?options]} (the form of the
 * RabbitMQ and Qpid clients' address lists), into one URL per broker, each with the same user,
 * password, virtual host and options. A URL with one host gives itself back. IPv6 hosts keep their
 * brackets ({@code [::1]:5672,[::2]}).
 *
 * <p>Thread-safety: stateless.
 */
public final class BrokerList {
  private BrokerList() {}

  /**
   * @param url an {@code amqp://} or {@code amqps://} URL
   * @return one URL per listed broker, in the list's order; not empty
   * @throws IllegalArgumentException if an entry of the list is empty (password masked)
   */
  public static List<String> split(String url) {
    int schemeEnd = url.indexOf("://") + 3;
    int end = url.length();
    for (int i = schemeEnd; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?') {
        end = i;
        break;
      }
    }
    String authority = url.substring(schemeEnd, end);
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
    String hosts = authority.substring(at + 1);
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= hosts.length(); i++) {
      char c = i == hosts.length() ? ',' : hosts.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        String host = hosts.substring(start, i).trim();
        if (host.isEmpty()) {
          throw new IllegalArgumentException(
              "connection URL '" + Passwords.mask(url) + "': an empty host in the broker list");
        }
        out.add(url.substring(0, schemeEnd) + userInfo + host + url.substring(end));
        start = i + 1;
      }
    }
    return out;
  }
}
