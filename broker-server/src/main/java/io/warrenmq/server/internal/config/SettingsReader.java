package io.warrenmq.server.internal.config;

import io.warrenmq.client.Passwords;
import io.warrenmq.server.TlsConfig;
import io.warrenmq.store.jdbc.HaLeaseConfig;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the keys of a {@link ConfFile} into {@link ServerSettings}, checking every value.
 * RabbitMQ's keys keep RabbitMQ's names, value forms and defaults
 * (https://www.rabbitmq.com/docs/configure); WarrenMQ's own are under {@code warrenmq.}. An unknown
 * key is refused, as RabbitMQ refuses it; a key given twice takes its last value, as in RabbitMQ
 * (logged as a warning). Each error names the file, the line, the key and what it accepts, and
 * never shows a password.
 *
 * <p>TLS: the {@code ssl_options.*} keys go straight into a {@link TlsConfig.Builder}, each value
 * checked here as it is read (a readable file, a boolean, a depth, a version); the rules between
 * keys are {@link TlsConfig}'s own, applied when a {@code listeners.ssl.<name>} is set and reported
 * on the line of the key they name ({@link ServerSettings#tlsError}).
 *
 * <p>Thread-safety: stateless; each {@link #read} works on its own state.
 */
public final class SettingsReader {
  private static final System.Logger LOG = System.getLogger(SettingsReader.class.getName());

  /** The key of the default TCP listener when the file names none. */
  static final String DEFAULT_TCP_KEY = "listeners.tcp.default";

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?|\\.[0-9]+");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,10}");

  private final String source;
  private final Path home;
  private final Values v = new Values();

  private SettingsReader(String source, Path home) {
    this.source = source;
    this.home = home;
    v.source = source;
    v.dataDir = home != null ? home.resolve("data") : Path.of("warrenmq-data");
  }

  /**
   * The settings of a file.
   *
   * @param file the parsed file, or null for every default
   * @param home the distribution's directory ({@code warrenmq.home}): its {@code data} directory is
   *     the default {@code warrenmq.data_dir}, and relative paths in the file are taken from it;
   *     null for {@code ./warrenmq-data} and paths from the working directory
   * @throws ConfigException for the first wrong key, naming file, line, key and what it accepts
   */
  public static ServerSettings read(ConfFile file, Path home) {
    SettingsReader reader = new SettingsReader(file == null ? null : file.source(), home);
    if (file != null) {
      reader.readAll(file.entries());
    }
    return reader.finish();
  }

  private void readAll(List<ConfEntry> entries) {
    Map<String, ConfEntry> last = new LinkedHashMap<>();
    for (ConfEntry e : entries) {
      ConfEntry earlier = last.remove(e.key());
      if (earlier != null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: {1} is set on lines {2} and {3}; the last one applies (as in RabbitMQ)",
            source,
            e.key(),
            earlier.line(),
            e.line());
      }
      last.put(e.key(), e);
    }
    // "none" first, so that loopback_users = none and loopback_users.x = true combine in any order
    ConfEntry none = last.get("loopback_users");
    if (none != null) {
      loopbackUsersNone(none);
    }
    for (ConfEntry e : last.values()) {
      v.lines.put(e.key(), e.line());
      if (e != none) {
        read(e);
      }
    }
  }

  private void read(ConfEntry e) {
    List<String> p = e.parts();
    String head = p.get(0);
    switch (head) {
      case "listeners" -> listener(e);
      case "ssl_options" -> sslOption(e);
      case "default_user" -> v.user = nonEmpty(single(e), "a user name");
      case "default_pass" -> v.pass = nonEmptySecret(single(e), "a password");
      case "default_vhost" -> v.vhost = nonEmpty(single(e), "a virtual host name, e.g. /");
      case "default_user_tags" -> {
        if (p.size() != 2) {
          throw unknown(e);
        }
        if (bool(e)) {
          v.tags.add(p.get(1));
        } else {
          v.tags.remove(p.get(1));
        }
      }
      case "default_permissions" -> defaultPermission(e);
      case "loopback_users" -> {
        if (p.size() != 2) {
          throw unknown(e);
        }
        if (bool(e)) {
          v.loopbackUsers.add(p.get(1));
        } else {
          v.loopbackUsers.remove(p.get(1));
        }
      }
      case "heartbeat" -> v.heartbeat = integer(single(e), 0, 65535, "seconds, 0 for none");
      case "frame_max" -> v.frameMax = integer(single(e), 4096, 1 << 20, "bytes");
      case "channel_max" -> {
        int n = integer(single(e), 0, 65535, "channels, 0 for the most, 65535");
        v.channelMax = n == 0 ? 65535 : n;
      }
      case "max_message_size" -> v.maxMessageSize = integer(single(e), 1, 536_870_912, "bytes");
      case "vm_memory_high_watermark" -> memoryWatermark(e);
      case "disk_free_limit" -> diskFreeLimit(e);
      case "management" -> {
        if (p.equals(List.of("management", "tcp", "port"))) {
          v.managementPort = integer(e, 0, 65535, "a TCP port, 0 for any free port");
        } else if (p.equals(List.of("management", "tcp", "ip"))) {
          v.managementIp = managementIp(e);
        } else {
          throw unknown(e);
        }
      }
      case "prometheus" -> {
        if (p.equals(List.of("prometheus", "tcp", "port"))) {
          v.prometheusPort = integer(e, 0, 65535, "a TCP port, 0 for any free port");
        } else if (p.equals(List.of("prometheus", "tcp", "ip"))) {
          v.prometheusIp = managementIp(e);
        } else {
          throw unknown(e);
        }
      }
      case "load_definitions" -> v.definitions = definitions(single(e));
      case "warrenmq" -> warrenmq(e);
      case "log" ->
          throw new ConfigException(
              where(e),
              e.key(),
              "unknown key: the server's logging is configured in conf/logback.xml (README.md,"
                  + " \"Server logging\"), not in this file");
      default -> throw unknown(e);
    }
  }

  // ---- listeners ----------------------------------------------------------------------------

  /** {@code management.tcp.ip}: an IP address literal (no host name lookup at start-up). */
  private String managementIp(ConfEntry e) {
    String ip = e.value().trim();
    boolean literal =
        ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
            || (ip.contains(":") && ip.matches("[0-9a-fA-F:.]+"));
    if (!literal) {
      throw new ConfigException(
          where(e), e.key(), "'" + ip + "' is not an IP address (e.g. 0.0.0.0 or 127.0.0.1)");
    }
    return ip;
  }

  private void listener(ConfEntry e) {
    List<String> p = e.parts();
    if (p.size() < 2 || !(p.get(1).equals("tcp") || p.get(1).equals("ssl")) || p.size() > 3) {
      throw unknown(e);
    }
    boolean tcp = p.get(1).equals("tcp");
    int rabbitMqPort = tcp ? 5672 : 5671;
    if (p.size() == 2) { // listeners.tcp = none
      if (!e.value().equals("none")) {
        throw invalid(
            e,
            "'none' (no "
                + p.get(1)
                + " listener), or use "
                + e.key()
                + ".default = "
                + rabbitMqPort);
      }
      if (tcp) {
        v.tcpNone = e;
      } else {
        v.sslNone = e;
      }
      return;
    }
    Listener l = address(e, rabbitMqPort);
    Listener earlier = tcp ? v.tcpListener : v.sslListener;
    if (earlier != null) {
      throw new ConfigException(
          where(e),
          e.key(),
          "only one "
              + p.get(1)
              + " listener is supported, and "
              + earlier.key()
              + " (line "
              + v.lines.get(earlier.key())
              + ") is one; remove one of them");
    }
    if (tcp) {
      v.tcpListener = l;
    } else {
      v.sslListener = l;
    }
  }

  /** {@code port} or {@code host:port}; {@code example} is the port the message shows. */
  private Listener address(ConfEntry e, int example) {
    String expected =
        ("a port (every IPv4 interface) or host:port, e.g. %1$d or 127.0.0.1:%1$d or [::1]:%1$d;"
                + " port 0 binds a free port")
            .formatted(example);
    String value = e.value();
    String host = "0.0.0.0";
    String port = value;
    int colon = value.lastIndexOf(':');
    if (colon >= 0) {
      host = value.substring(0, colon);
      port = value.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty() || !HOST.matcher(host).matches()) {
        throw invalid(e, expected);
      }
    }
    if (!INTEGER.matcher(port).matches()) {
      throw invalid(e, expected);
    }
    long n = Long.parseLong(port);
    if (n < 0 || n > 65535) {
      throw invalid(e, expected);
    }
    return new Listener(e.key(), host, (int) n);
  }

  // ---- ssl_options --------------------------------------------------------------------------

  private void sslOption(ConfEntry e) {
    List<String> p = e.parts();
    TlsConfig.Builder t = v.tls;
    String option = p.size() >= 2 ? p.get(1) : "";
    if (p.size() == 3 && option.equals("versions")) {
      if (!TlsConfig.VERSIONS.contains(e.value().toLowerCase(Locale.ROOT))) {
        throw invalid(
            e, String.join(" or ", TlsConfig.VERSIONS) + " (Java 17 disables TLS 1.0 and 1.1)");
      }
      t.version(e.value());
      v.tlsListEntries.put(e.key(), e.value());
      return;
    }
    if (p.size() == 3 && option.equals("ciphers")) {
      t.cipher(nonEmpty(e, "a cipher suite name, e.g. TLS_AES_256_GCM_SHA384"));
      v.tlsListEntries.put(e.key(), e.value());
      return;
    }
    if (p.size() != 2) {
      throw unknown(e);
    }
    switch (option) {
      case "cacertfile" -> t.caCertFile(readableFile(e));
      case "certfile" -> t.certFile(readableFile(e));
      case "keyfile" -> t.keyFile(readableFile(e));
      case "password" -> t.password(e.value());
      case "verify" -> {
        if (!e.value().equals("verify_peer") && !e.value().equals("verify_none")) {
          throw invalid(e, "verify_peer or verify_none");
        }
        t.verifyPeer(e.value().equals("verify_peer"));
      }
      case "fail_if_no_peer_cert" -> t.failIfNoPeerCert(bool(e));
      case "depth" ->
          t.depth(
              integer(
                  e, 0, TlsConfig.MAX_DEPTH, "intermediate CA certificates in a client's chain"));
      case "honor_cipher_order" -> t.honorCipherOrder(bool(e));
      case "honor_ecc_order" -> bool(e); // checked; the JDK has no separate curve order
      default -> throw unknown(e);
    }
  }

  // ---- users --------------------------------------------------------------------------------

  private void loopbackUsersNone(ConfEntry e) {
    v.lines.put(e.key(), e.line());
    if (!e.value().equals("none")) {
      throw invalid(e, "'none' (no user restricted to loopback), or loopback_users.<user> = true");
    }
    v.loopbackUsers.clear();
  }

  private void defaultPermission(ConfEntry e) {
    List<String> p = e.parts();
    if (p.size() != 2) {
      throw unknown(e);
    }
    String regex = e.value();
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException x) {
      throw invalid(e, "a regular expression (" + x.getDescription() + ")");
    }
    switch (p.get(1)) {
      case "configure" -> v.configure = regex;
      case "write" -> v.write = regex;
      case "read" -> v.read = regex;
      default -> throw unknown(e);
    }
  }

  // ---- resource limits ----------------------------------------------------------------------

  private void memoryWatermark(ConfEntry e) {
    String kind = e.parts().size() == 2 ? e.parts().get(1) : "";
    ResourceLimit limit =
        switch (kind) {
          case "relative" -> {
            double f =
                decimal(e, "a fraction of the JVM's max heap above 0 and at most 1, e.g. 0.4");
            if (f <= 0 || f > 1) {
              throw invalid(e, "a fraction of the JVM's max heap above 0 and at most 1, e.g. 0.4");
            }
            yield new ResourceLimit(e.key(), f, null);
          }
          case "absolute" -> new ResourceLimit(e.key(), null, bytes(e));
          default -> throw unknown(e);
        };
    v.memoryWatermark = oneOf(v.memoryWatermark, limit, e);
  }

  private void diskFreeLimit(ConfEntry e) {
    String kind = e.parts().size() == 2 ? e.parts().get(1) : "";
    ResourceLimit limit =
        switch (kind) {
          case "relative" -> {
            double f = decimal(e, "a factor of the machine's memory above 0, e.g. 1.5");
            if (f <= 0 || f > 100) {
              throw invalid(
                  e, "a factor of the machine's memory above 0 and at most 100, e.g. 1.5");
            }
            yield new ResourceLimit(e.key(), f, null);
          }
          case "absolute" -> new ResourceLimit(e.key(), null, bytes(e));
          default -> throw unknown(e);
        };
    v.diskFreeLimit = oneOf(v.diskFreeLimit, limit, e);
  }

  /** RabbitMQ's relative and absolute forms were not designed to be combined; refuse both. */
  private ResourceLimit oneOf(ResourceLimit earlier, ResourceLimit now, ConfEntry e) {
    if (earlier != null && v.lines.containsKey(earlier.key()) && !earlier.key().equals(now.key())) {
      throw new ConfigException(
          where(e),
          e.key(),
          "set either "
              + earlier.key()
              + " (line "
              + v.lines.get(earlier.key())
              + ") or "
              + e.key()
              + ", not both");
    }
    return now;
  }

  // ---- definitions and store ----------------------------------------------------------------

  private Path definitions(ConfEntry e) {
    Path path = path(e);
    if (!Files.exists(path)) {
      throw invalid(e, "a definitions file (JSON) or a directory of them; it does not exist");
    }
    if (!Files.isReadable(path)) {
      throw invalid(e, "a readable definitions file or directory; it cannot be read");
    }
    return path;
  }

  private void warrenmq(ConfEntry e) {
    List<String> p = e.parts();
    if (p.equals(List.of("warrenmq", "jmx"))) {
      v.jmx = bool(e);
      return;
    }
    if (p.equals(List.of("warrenmq", "queue_window"))) {
      v.queueWindowBytes = bytes(e);
      return;
    }
    if (p.equals(List.of("warrenmq", "data_dir"))) {
      Path dir = path(e);
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw invalid(e, "a directory; it is a file");
      }
      v.dataDir = dir;
      return;
    }
    if (p.size() == 3 && p.get(1).equals("ha")) {
      ha(e);
      return;
    }
    if (p.size() != 3 || !p.get(1).equals("store")) {
      throw unknown(e);
    }
    switch (p.get(2)) {
      case "jdbc_url" -> {
        String url = e.value();
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
          throw new ConfigException(
              where(e),
              e.key(),
              "expected a JDBC URL starting with jdbc:postgresql: (e.g."
                  + " jdbc:postgresql://db:5432/warrenmq) or jdbc:h2:, was '"
                  + Passwords.mask(url)
                  + "'");
        }
        v.jdbcUrl = url;
      }
      case "jdbc_user" -> v.jdbcUser = e.value();
      case "jdbc_password" -> v.jdbcPassword = e.value();
      case "durability" ->
          v.durability =
              switch (e.value().toLowerCase(Locale.ROOT)) {
                case "power_loss" -> JdbcStoreConfig.Durability.POWER_LOSS;
                case "process_crash" -> JdbcStoreConfig.Durability.PROCESS_CRASH;
                default ->
                    throw invalid(
                        e,
                        "power_loss (fsync before a confirm, the default) or process_crash (no"
                            + " fsync; see README.md, \"Durable store\")");
              };
      default -> throw unknown(e);
    }
  }

  // ---- the whole ----------------------------------------------------------------------------

  private ServerSettings finish() {
    noneAndListener(v.tcpNone, v.tcpListener);
    noneAndListener(v.sslNone, v.sslListener);
    if (v.tcpNone == null && v.tcpListener == null) {
      v.tcpListener = new Listener(DEFAULT_TCP_KEY, "0.0.0.0", 5672);
    }
    if (v.tcpListener == null && v.sslListener == null) {
      throw new ConfigException(
          where(v.tcpNone),
          v.tcpNone.key(),
          "is none and no listeners.ssl.<name> is set, which leaves the server without a"
              + " listener; set listeners.tcp.default or listeners.ssl.default");
    }
    v.defaultUser =
        new DefaultUser(
            v.user, v.pass, v.vhost, new ArrayList<>(v.tags), v.configure, v.write, v.read);
    if (v.memoryWatermark == null) {
      v.memoryWatermark =
          new ResourceLimit(
              "vm_memory_high_watermark.relative", ServerSettings.DEFAULT_MEMORY_WATERMARK, null);
    }
    if (v.diskFreeLimit == null) {
      v.diskFreeLimit =
          new ResourceLimit(
              "disk_free_limit.absolute", null, ServerSettings.DEFAULT_DISK_FREE_LIMIT);
    }
    v.store = store();
    v.ha = haSettings(v.store);
    return new ServerSettings(v);
  }

  private void noneAndListener(ConfEntry none, Listener listener) {
    if (none != null && listener != null) {
      throw new ConfigException(
          where(none),
          none.key(),
          "is none, but " + listener.key() + " sets a listener; keep one of them");
    }
  }

  private JdbcStoreConfig store() {
    JdbcStoreConfig store;
    if (v.jdbcUrl != null) {
      if (v.lines.containsKey("warrenmq.data_dir")) {
        throw new ConfigException(
            where("warrenmq.data_dir"),
            "warrenmq.data_dir",
            "set either warrenmq.data_dir (the embedded H2 database) or warrenmq.store.jdbc_url"
                + " (line "
                + v.lines.get("warrenmq.store.jdbc_url")
                + "), not both");
      }
      store = JdbcStoreConfig.jdbc(v.jdbcUrl, v.jdbcUser, v.jdbcPassword);
    } else {
      for (String key : List.of("warrenmq.store.jdbc_user", "warrenmq.store.jdbc_password")) {
        if (v.lines.containsKey(key)) {
          throw new ConfigException(
              where(key),
              key,
              "is for the database of warrenmq.store.jdbc_url, which is not set (the embedded H2"
                  + " database under warrenmq.data_dir needs no user)");
        }
      }
      store = JdbcStoreConfig.h2(v.dataDir);
    }
    return store.withDurability(v.durability);
  }

  /** {@code warrenmq.ha.*}: shared-store high availability (README.md, "High availability"). */
  private void ha(ConfEntry e) {
    switch (e.parts().get(2)) {
      case "mode" ->
          v.haShared =
              switch (e.value()) {
                case "none" -> false;
                case "shared-store" -> true;
                default ->
                    throw invalid(
                        e,
                        "none (one broker, the default) or shared-store (a live broker and"
                            + " backups on one PostgreSQL store)");
              };
      case "node_name" -> {
        String name = e.value();
        if (name.isBlank() || name.length() > 255) {
          throw invalid(e, "a node name of 1 to 255 characters");
        }
        v.haNodeName = name;
      }
      case "lease_timeout" -> v.haLeaseTimeout = integer(e, 500, 3_600_000, "ms, default 3000");
      case "renew_interval" -> v.haRenewInterval = integer(e, 50, 1_800_000, "ms, default 1000");
      case "store_outage_timeout" ->
          v.haStoreOutageTimeout =
              integer(e, 500, 3_600_000, "ms, default 20000 (at least warrenmq.ha.lease_timeout)");
      default -> throw unknown(e);
    }
  }

  /** The HA settings, checked together with the store's; empty for {@code mode = none}. */
  private HaLeaseConfig haSettings(JdbcStoreConfig store) {
    if (!v.haShared) {
      return null;
    }
    String url = store.jdbcUrl();
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      String now =
          url != null
              ? "warrenmq.store.jdbc_url is " + Passwords.mask(url)
              : (v.lines.containsKey("warrenmq.data_dir")
                      ? "warrenmq.data_dir is"
                      : "without warrenmq.store.jdbc_url the store is")
                  + " the embedded H2 database, which one broker opens alone";
      throw new ConfigException(
          where("warrenmq.ha.mode"),
          "warrenmq.ha.mode",
          "shared-store needs a PostgreSQL store that every broker of the group shares: set"
              + " warrenmq.store.jdbc_url = jdbc:postgresql://... ("
              + now
              + ")");
    }
    if (v.haRenewInterval * 2L >= v.haLeaseTimeout) {
      String key =
          v.lines.containsKey("warrenmq.ha.renew_interval")
              ? "warrenmq.ha.renew_interval"
              : "warrenmq.ha.lease_timeout";
      throw new ConfigException(
          where(key),
          key,
          "warrenmq.ha.renew_interval ("
              + v.haRenewInterval
              + " ms) must be less than half of warrenmq.ha.lease_timeout ("
              + v.haLeaseTimeout
              + " ms), so that a live broker renews at least twice per lease");
    }
    if (v.haStoreOutageTimeout >= 0 && v.haStoreOutageTimeout < v.haLeaseTimeout) {
      throw new ConfigException(
          where("warrenmq.ha.store_outage_timeout"),
          "warrenmq.ha.store_outage_timeout",
          "warrenmq.ha.store_outage_timeout ("
              + v.haStoreOutageTimeout
              + " ms) must be at least warrenmq.ha.lease_timeout ("
              + v.haLeaseTimeout
              + " ms): a live broker must not give up on the store before a backup may take"
              + " over");
    }
    String node =
        v.haNodeName != null ? v.haNodeName : hostName() + "-" + ProcessHandle.current().pid();
    HaLeaseConfig config =
        v.haStoreOutageTimeout >= 0
            ? new HaLeaseConfig(node, v.haLeaseTimeout, v.haRenewInterval, v.haStoreOutageTimeout)
            : new HaLeaseConfig(node, v.haLeaseTimeout, v.haRenewInterval);
    config.validate();
    return config;
  }

  /** This machine's host name, "localhost" if it cannot be found. */
  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  // ---- value forms --------------------------------------------------------------------------

  private String where(ConfEntry e) {
    return source + ":" + e.line();
  }

  private String where(String key) {
    Integer line = v.lines.get(key);
    return line == null ? "default" : source + ":" + line;
  }

  /** The entry, which must have no sub-key. */
  private ConfEntry single(ConfEntry e) {
    if (e.parts().size() != 1) {
      throw unknown(e);
    }
    return e;
  }

  private ConfigException unknown(ConfEntry e) {
    return new ConfigException(
        where(e),
        e.key(),
        "unknown key (the keys WarrenMQ reads are in conf/warrenmq.conf and README.md, \"Server"
            + " configuration\")");
  }

  /** "expected ..., was '...'", the value masked for a key that holds a password. */
  private ConfigException invalid(ConfEntry e, String expected) {
    boolean secret = e.key().toLowerCase(Locale.ROOT).contains("pass");
    return new ConfigException(
        where(e),
        e.key(),
        "expected " + expected + (secret ? "" : ", was '" + Passwords.mask(e.value()) + "'"));
  }

  private String nonEmpty(ConfEntry e, String expected) {
    if (e.value().isEmpty()) {
      throw invalid(e, expected);
    }
    return e.value();
  }

  private String nonEmptySecret(ConfEntry e, String expected) {
    if (e.value().isEmpty()) {
      throw new ConfigException(where(e), e.key(), "expected " + expected + ", was empty");
    }
    return e.value();
  }

  private boolean bool(ConfEntry e) {
    return switch (e.value()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(e, "true or false");
    };
  }

  private int integer(ConfEntry e, int min, int max, String unit) {
    String expected = "an integer from " + min + " to " + max + " (" + unit + ")";
    if (!INTEGER.matcher(e.value()).matches()) {
      throw invalid(e, expected);
    }
    long n = Long.parseLong(e.value());
    if (n < min || n > max) {
      throw invalid(e, expected);
    }
    return (int) n;
  }

  private double decimal(ConfEntry e, String expected) {
    if (!DECIMAL.matcher(e.value()).matches()) {
      throw invalid(e, expected);
    }
    return Double.parseDouble(e.value());
  }

  private long bytes(ConfEntry e) {
    long n;
    try {
      n = ByteSize.parse(e.value());
    } catch (IllegalArgumentException x) {
      throw invalid(e, ByteSize.EXPECTED);
    }
    if (n < 1) {
      throw invalid(e, "at least 1 byte: " + ByteSize.EXPECTED);
    }
    return n;
  }

  /** A path; a relative one is taken from the distribution's directory, if known. */
  private Path path(ConfEntry e) {
    try {
      Path p = Path.of(e.value());
      return home != null ? home.resolve(p) : p;
    } catch (InvalidPathException x) {
      throw invalid(e, "a file system path (" + x.getReason() + ")");
    }
  }

  private Path readableFile(ConfEntry e) {
    Path path = path(e);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw invalid(e, "a readable file (PEM); it does not exist or cannot be read");
    }
    return path;
  }

  /** What the file set so far, with the defaults of the keys it did not set. */
  static final class Values {
    String source;
    final Map<String, Integer> lines = new LinkedHashMap<>();
    Listener tcpListener;
    ConfEntry tcpNone;
    Listener sslListener;
    ConfEntry sslNone;
    final TlsConfig.Builder tls = TlsConfig.builder();

    /** {@code ssl_options.versions.N} and {@code ssl_options.ciphers.N} as written, for errors. */
    final Map<String, String> tlsListEntries = new LinkedHashMap<>();

    String user = DefaultUser.RABBITMQ.name();
    String pass = DefaultUser.RABBITMQ.password();
    String vhost = DefaultUser.RABBITMQ.virtualHost();
    final Set<String> tags = new LinkedHashSet<>(DefaultUser.RABBITMQ.tags());
    String configure = DefaultUser.RABBITMQ.configure();
    String write = DefaultUser.RABBITMQ.write();
    String read = DefaultUser.RABBITMQ.read();
    DefaultUser defaultUser;
    final Set<String> loopbackUsers = new LinkedHashSet<>(Set.of("guest"));
    int heartbeat = 60;
    int frameMax = 131072;
    int channelMax = 2047;
    long maxMessageSize = 134_217_728L;
    ResourceLimit memoryWatermark;
    ResourceLimit diskFreeLimit;
    int managementPort = -1;
    String managementIp = ServerSettings.DEFAULT_MANAGEMENT_IP;
    int prometheusPort = -1;
    String prometheusIp = ServerSettings.DEFAULT_MANAGEMENT_IP;
    Path definitions;
    Path dataDir;
    String jdbcUrl;
    String jdbcUser;
    String jdbcPassword;
    JdbcStoreConfig.Durability durability = JdbcStoreConfig.Durability.POWER_LOSS;
    JdbcStoreConfig store;
    boolean jmx = true;
    long queueWindowBytes = io.warrenmq.engine.BrokerConfig.DEFAULT_QUEUE_WINDOW_BYTES;
    boolean haShared;
    String haNodeName;
    int haLeaseTimeout = (int) HaLeaseConfig.DEFAULT_LEASE_TIMEOUT_MS;
    int haRenewInterval = (int) HaLeaseConfig.DEFAULT_RENEW_INTERVAL_MS;
    int haStoreOutageTimeout = -1; // -1: the default, max(20000, lease_timeout)
    HaLeaseConfig ha;
  }
}
