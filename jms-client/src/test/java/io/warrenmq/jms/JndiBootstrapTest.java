package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.internal.InVmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class JndiBootstrapTest {

  @AfterEach
  void stopBrokers() {
    InVmBrokers.stop("jndi-env");
    InVmBrokers.stop("jndi-file");
    InVmBrokers.stop("jndi-classpath");
  }

  private static Hashtable<String, String> env(String... pairs) {
    Hashtable<String, String> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, WarrenInitialContextFactory.class.getName());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void environmentEntriesBindAConnectionFactoryAQueueAndATopicThatWorkTogether() throws Exception {
    Context ctx =
        new InitialContext(
            env(
                "connectionFactory.local", "vm://jndi-env?clientID=app-1",
                "queue.orders", "orders",
                "topic.events", "order-events"));
    ConnectionFactory cf = (ConnectionFactory) ctx.lookup("local");
    Queue orders = (Queue) ctx.lookup("orders");
    Topic events = (Topic) ctx.lookup("events");
    assertEquals("orders", orders.getQueueName());
    assertEquals("order-events", events.getTopicName());
    try (Connection c = cf.createConnection()) {
      assertEquals("app-1", c.getClientID());
      c.start();
      Session s = c.createSession();
      s.createProducer(orders).send(s.createTextMessage("via jndi"));
      assertEquals("via jndi", ((TextMessage) s.createConsumer(orders).receive(5_000)).getText());
    }
    try (Connection second = ((ConnectionFactory) ctx.lookup("local")).createConnection()) {
      assertTrue(
          InVmBrokers.getOrStart("jndi-env").virtualHost("/").queueExists("orders"),
          "a second connection joins the same in-VM broker");
    }
  }

  @Test
  void aProviderUrlFileIsRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("warren-jndi.properties");
    Files.writeString(file, "connectionFactory.fromFile=vm://jndi-file\nqueue.q=from-file\n");
    Context ctx = new InitialContext(env(Context.PROVIDER_URL, file.toString()));
    assertInstanceOf(WarrenConnectionFactory.class, ctx.lookup("fromFile"));
    assertEquals("from-file", ((Queue) ctx.lookup("q")).getQueueName());
  }

  @Test
  void aJndiPropertiesFileOnTheClassPathIsRead() throws Exception {
    Context ctx = new InitialContext();
    ConnectionFactory cf = (ConnectionFactory) ctx.lookup("classpathFactory");
    assertEquals("orders-from-classpath", ((Queue) ctx.lookup("classpathQueue")).getQueueName());
    try (Connection c = cf.createConnection()) {
      assertEquals("from-classpath", c.getClientID());
    }
  }

  @Test
  void withoutFactoryEntriesConnectionFactoryIsBoundToTheDefaultBroker() throws Exception {
    // Straight from the factory: new InitialContext() would merge in the class path's
    // jndi.properties, which has a factory entry.
    Context ctx = new WarrenInitialContextFactory().getInitialContext(env("queue.q", "q"));
    assertInstanceOf(WarrenConnectionFactory.class, ctx.lookup("ConnectionFactory"));
  }

  @Test
  void badEntriesAndUnknownNamesAreReportedByName() throws Exception {
    ConfigurationException bad =
        assertThrows(
            ConfigurationException.class,
            () -> new InitialContext(env("connectionFactory.broken", "tcp://elsewhere:5672")));
    assertTrue(bad.getMessage().contains("connectionFactory.broken"), bad.getMessage());

    ConfigurationException option =
        assertThrows(
            ConfigurationException.class,
            () -> new InitialContext(env("connectionFactory.x", "vm://b?colour=red")));
    assertTrue(option.getMessage().contains("colour"), option.getMessage());

    Context ctx = new InitialContext(env("queue.q", "q"));
    NameNotFoundException missing =
        assertThrows(NameNotFoundException.class, () -> ctx.lookup("nope"));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
  }
}
