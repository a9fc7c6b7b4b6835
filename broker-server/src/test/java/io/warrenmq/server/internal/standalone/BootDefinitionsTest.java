package io.warrenmq.server.internal.standalone;

import static io.warrenmq.server.internal.standalone.StandaloneServerTest.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.server.internal.config.ConfFile;
import io.warrenmq.server.internal.config.ConfigException;
import io.warrenmq.server.internal.config.SettingsReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start does to users and topology, as RabbitMQ at boot
 * (https://www.rabbitmq.com/docs/definitions, "Importing Definitions at Node Boot Time";
 * https://www.rabbitmq.com/docs/access-control, "Default Virtual Host and User"), checked over the
 * wire with RabbitMQ's Java client: {@code load_definitions} with a real RabbitMQ 3.10.8 export,
 * and {@code default_user}/{@code default_pass}/{@code default_vhost} on a fresh store only.
 *
 * <p>The export ({@code definitions/rabbitmq-3.10.8-export.json}) is byte for byte what {@code
 * rabbitmqctl export_definitions} of RabbitMQ 3.10.8 wrote after {@code import_definitions} of a
 * file with the user {@code warren-defs-user} (password {@code s3cret-defs}, tag {@code
 * monitoring}), the vhost {@code warren-defs}, that user's permissions (configure {@code
 * ^defs\..*}), the topic exchange {@code defs.orders}, the queue {@code defs.orders.eu} ({@code
 * x-message-ttl} 60000) and their binding {@code orders.eu.#}: RabbitMQ hashed the password itself
 * ({@code rabbit_password_hashing_sha256}).
 */
@Timeout(120)
class BootDefinitionsTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private StandaloneServer start(String... lines) {
    List<String> all = new ArrayList<>();
    all.add("listeners.tcp.default = 127.0.0.1:0");
    all.add("warrenmq.data_dir = " + dir.resolve("data"));
    all.addAll(List.of(lines));
    StandaloneServer server =
        StandaloneServer.start(
            SettingsReader.read(ConfFile.parse("test.conf", String.join("\n", all)), dir), "test");
    open.add(server);
    return server;
  }

  private void stop(StandaloneServer server) {
    server.close();
    open.remove(server);
  }

  private Path rabbitMqExport() throws IOException {
    Path file = dir.resolve("rabbitmq-export.json");
    try (InputStream in =
        getClass().getResourceAsStream("/definitions/rabbitmq-3.10.8-export.json")) {
      Files.copy(in, file);
    }
    return file;
  }

  private Connection connectAs(StandaloneServer s, String vhost, String user, String password)
      throws Exception {
    Connection c = connect(s, vhost, user, password);
    open.add(c::abort);
    return c;
  }

  @Test
  void aUserFromARealRabbitMqExportLogsInWithItsPasswordOverTheWire() throws Exception {
    StandaloneServer server = start("load_definitions = " + rabbitMqExport());
    Connection c = connectAs(server, "warren-defs", "warren-defs-user", "s3cret-defs");
    Channel ch = c.createChannel();
    ch.basicPublish(
        "defs.orders", "orders.eu.de", null, "order-1".getBytes(StandardCharsets.UTF_8));
    GetResponse got = ch.basicGet("defs.orders.eu", true);
    assertEquals("order-1", new String(got.getBody(), StandardCharsets.UTF_8), "bound as exported");
    // the queue's arguments came along: an equivalent declaration passes, another is refused
    ch.queueDeclare(
        "defs.orders.eu",
        true,
        false,
        false,
        Map.of("x-message-ttl", 60000, "x-queue-type", "classic"));
    assertThrows(
        AuthenticationFailureException.class,
        () -> connectAs(server, "warren-defs", "warren-defs-user", "wrong"));
  }

  @Test
  void theImportedPermissionsApply() throws Exception {
    StandaloneServer server = start("load_definitions = " + rabbitMqExport());
    Channel ch =
        connectAs(server, "warren-defs", "warren-defs-user", "s3cret-defs").createChannel();
    ch.queueDeclare("defs.mine", false, false, true, null); // configure ^defs\..* allows it
    IOException refused =
        assertThrows(IOException.class, () -> ch.queueDeclare("other", false, false, true, null));
    AMQP.Channel.Close close =
        (AMQP.Channel.Close) ((ShutdownSignalException) refused.getCause()).getReason();
    assertEquals(403, close.getReplyCode());
  }

  @Test
  void aFreshStoreWithLoadDefinitionsGetsNoDefaultUser() throws Exception {
    Path defs =
        Files.writeString(
            dir.resolve("ops.json"),
            "{\"users\":[{\"name\":\"ops\",\"password\":\"ops-pw\",\"tags\":[]}],"
                + "\"permissions\":[{\"user\":\"ops\",\"vhost\":\"/\",\"configure\":\".*\","
                + "\"write\":\".*\",\"read\":\".*\"}]}");
    StandaloneServer server = start("load_definitions = " + defs);
    connectAs(server, "/", "ops", "ops-pw").createChannel();
    assertThrows(
        AuthenticationFailureException.class, () -> connectAs(server, "/", "guest", "guest"));
    assertTrue(server.banner().contains("no default user, as load_definitions is set"));
  }

  @Test
  void definitionsAreImportedAgainOnEveryStart() throws Exception {
    Path export = rabbitMqExport();
    StandaloneServer first = start("load_definitions = " + export);
    first.broker().users().deleteUser("warren-defs-user");
    stop(first);
    StandaloneServer second = start("load_definitions = " + export);
    connectAs(second, "warren-defs", "warren-defs-user", "s3cret-defs").createChannel();
  }

  @Test
  void aDirectoryOfDefinitionsIsImportedFileByFileInNameOrder() throws Exception {
    Path defs = Files.createDirectory(dir.resolve("defs"));
    Files.writeString(defs.resolve("1-vhost.json"), "{\"vhosts\":[{\"name\":\"v\"}]}");
    Files.writeString(
        defs.resolve("2-user.json"),
        "{\"users\":[{\"name\":\"u\",\"password\":\"pw\",\"tags\":[]}],\"permissions\":"
            + "[{\"user\":\"u\",\"vhost\":\"v\",\"configure\":\"\",\"write\":\"\",\"read\":\"\"}]}");
    Files.writeString(defs.resolve("notes.txt"), "not a definitions file");
    StandaloneServer server = start("load_definitions = " + defs);
    connectAs(server, "v", "u", "pw");
  }

  @Test
  void definitionsTheBrokerRefusesStopTheStartNamingTheKeyAndFile() throws Exception {
    Path bad =
        Files.writeString(
            dir.resolve("bad.json"),
            "{\"queues\":[{\"name\":\"q\",\"vhost\":\"/\",\"durable\":\"yes\"}]}");
    ConfigException e =
        assertThrows(ConfigException.class, () -> start("load_definitions = " + bad));
    assertEquals("load_definitions", e.key());
    assertTrue(
        e.getMessage().startsWith("test.conf:3: load_definitions: " + bad + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("'durable' must be true or false"), e.getMessage());
    start(); // the store was closed again
  }

  @Test
  void aFreshStoreGetsTheConfiguredDefaultUserInsteadOfGuest() throws Exception {
    StandaloneServer server =
        start(
            "default_user = admin",
            "default_pass = admin-pw",
            "default_vhost = prod",
            "default_permissions.configure = ^app\\.");
    Channel ch = connectAs(server, "prod", "admin", "admin-pw").createChannel();
    ch.queueDeclare("app.q", false, false, true, null);
    assertThrows(
        AuthenticationFailureException.class, () -> connectAs(server, "/", "guest", "guest"));
    assertEquals(List.of("administrator"), server.broker().users().user("admin").get().tags());
  }

  @Test
  void theDefaultUserAppliesOnlyToAFreshStore() throws Exception {
    stop(start());
    StandaloneServer second = start("default_user = admin", "default_pass = admin-pw");
    connectAs(second, "/", "guest", "guest").createChannel();
    assertThrows(
        AuthenticationFailureException.class, () -> connectAs(second, "/", "admin", "admin-pw"));
  }
}
