package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.resource.spi.ResourceAdapterInternalException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter's {@code loadDefinitions} config property (RabbitMQ's {@code load_definitions},
 * https://www.rabbitmq.com/docs/definitions): an operator's topology, with queue arguments, applies
 * to the JMS destinations of the same name.
 */
@Timeout(30)
class DefinitionsAtStartTest {

  @TempDir Path dir;
  private WarrenResourceAdapter ra;

  @AfterEach
  void stop() {
    if (ra != null) {
      ra.stop();
    }
  }

  private static final String EXPIRING_ORDERS =
      """
      {"vhosts": [{"name": "/"}],
       "queues": [
         {"name": "orders.dlq", "vhost": "/", "durable": true, "auto_delete": false,
          "arguments": {}},
         {"name": "orders.expiring", "vhost": "/", "durable": true, "auto_delete": false,
          "arguments": {"x-message-ttl": 50, "x-dead-letter-exchange": "",
                        "x-dead-letter-routing-key": "orders.dlq"}}]}
      """;

  private WarrenResourceAdapter adapter(String brokerName, Path definitions) {
    WarrenResourceAdapter a = new WarrenResourceAdapter();
    a.setBrokerName(brokerName);
    a.setStore("memory");
    a.setLoadDefinitions(definitions.toString());
    return a;
  }

  private ConnectionFactory connectionFactory() throws Exception {
    WarrenManagedConnectionFactory mcf = new WarrenManagedConnectionFactory();
    mcf.setResourceAdapter(ra);
    return (ConnectionFactory) mcf.createConnectionFactory();
  }

  private static WarrenAdminQueue queue(String name) {
    WarrenAdminQueue q = new WarrenAdminQueue();
    q.setName(name);
    return q;
  }

  @Test
  void aJmsQueueOverADefinedQueueKeepsItsTtlAndDeadLetterArguments() throws Exception {
    Path file = Files.writeString(dir.resolve("orders.json"), EXPIRING_ORDERS);
    ra = adapter("definitions-ttl", file);
    ra.start(null);
    try (Connection c = connectionFactory().createConnection()) {
      c.start();
      Session s = c.createSession();
      // the defined queue has arguments a JMS declaration would not give (406 if redeclared)
      s.createProducer(queue("orders.expiring")).send(s.createTextMessage("order-1"));
      MessageConsumer dlq = s.createConsumer(queue("orders.dlq"));
      TextMessage dead = (TextMessage) dlq.receive(10_000);
      assertNotNull(dead, "the message expired after 50 ms into orders.dlq");
      assertEquals("order-1", dead.getText());
      assertNull(s.createConsumer(queue("orders.expiring")).receive(200), "expired, not kept");
    }
  }

  @Test
  void aDirectoryIsImportedInNameOrder() throws Exception {
    Files.writeString(
        dir.resolve("1-queues.json"),
        """
        {"queues": [{"name": "audit", "vhost": "/", "durable": true, "auto_delete": false,
                     "arguments": {}}]}
        """);
    Files.writeString(
        dir.resolve("2-bindings.json"),
        """
        {"exchanges": [{"name": "events", "vhost": "/", "type": "fanout", "durable": true,
                        "auto_delete": false, "internal": false, "arguments": {}}],
         "bindings": [{"source": "events", "vhost": "/", "destination": "audit",
                       "destination_type": "queue", "routing_key": "", "arguments": {}}]}
        """);
    Files.writeString(dir.resolve("notes.txt"), "not a definitions file");
    ra = adapter("definitions-dir", dir);
    ra.start(null);
    assertTrue(ra.broker().virtualHost("/").queueExists("audit"));
    assertTrue(
        ra.broker().virtualHost("/").bindings().stream()
            .anyMatch(b -> b.source().equals("events") && b.destination().equals("audit")),
        "the binding of the second file refers to the queue of the first");
  }

  @Test
  void aRefusedEntryFailsStartNamingThePropertyTheFileAndTheEntry() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("bad.json"),
            """
            {"queues": [{"name": "q1", "vhost": "/", "durable": "yes", "auto_delete": false,
                         "arguments": {}}]}
            """);
    ra = adapter("definitions-bad", file);
    ResourceAdapterInternalException e =
        assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
    assertTrue(
        e.getMessage().startsWith("config property loadDefinitions: " + file), e.getMessage());
    assertTrue(e.getMessage().contains("406") && e.getMessage().contains("'q1'"), e.getMessage());
    assertThrows(jakarta.resource.ResourceException.class, ra::broker, "no broker left running");
  }

  @Test
  void aMissingFileFailsStartNamingThePropertyAndThePath() {
    Path missing = dir.resolve("absent.json");
    ra = adapter("definitions-missing", missing);
    ResourceAdapterInternalException e =
        assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
    assertTrue(
        e.getMessage().contains("loadDefinitions") && e.getMessage().contains(missing.toString()),
        e.getMessage());
  }
}
