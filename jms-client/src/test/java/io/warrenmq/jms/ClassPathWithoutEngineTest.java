package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpChannel;
import jakarta.jms.JMSException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JMS layer runs without the broker engine on its class path (a remote client's class path:
 * jms-client, client-api and the Jakarta Messaging API only), as docs/architecture.md promises: the
 * engine is an optional dependency used by the in-VM transport alone.
 */
class ClassPathWithoutEngineTest {

  private static URL locationOf(Class<?> c) throws Exception {
    return c.getProtectionDomain().getCodeSource().getLocation();
  }

  private static URLClassLoader remoteClientLoader() throws Exception {
    return new URLClassLoader(
        new URL[] {
          locationOf(WarrenConnectionFactory.class),
          locationOf(AmqpChannel.class),
          locationOf(JMSException.class)
        },
        ClassLoader.getPlatformClassLoader());
  }

  @Test
  void everyExportedClassLoadsAndInitializesWithoutTheEngine() throws Exception {
    Path classes = Path.of(locationOf(WarrenConnectionFactory.class).toURI());
    List<String> names;
    try (Stream<Path> files = Files.walk(classes)) {
      names =
          files
              .map(p -> classes.relativize(p).toString())
              .filter(n -> n.endsWith(".class") && !n.equals("module-info.class"))
              .filter(n -> n.startsWith("io/warrenmq/jms/") && !n.contains("/internal/"))
              .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
              .toList();
    }
    assertTrue(names.size() > 30, "found the classes of io.warrenmq.jms: " + names.size());
    try (URLClassLoader loader = remoteClientLoader()) {
      assertThrows(
          ClassNotFoundException.class,
          () -> Class.forName("io.warrenmq.engine.Broker", false, loader),
          "the test class path must not hold the engine");
      for (String name : names) {
        Class<?> c = Class.forName(name, true, loader); // links and verifies too
        assertEquals(loader, c.getClassLoader(), name);
      }
    }
  }

  @Test
  void aVmUrlWithoutTheEngineNamesWhatIsMissing() throws Exception {
    try (URLClassLoader loader = remoteClientLoader()) {
      Class<?> factory = Class.forName(WarrenConnectionFactory.class.getName(), true, loader);
      Method forUrl = factory.getMethod("forUrl", String.class);
      InvocationTargetException thrown =
          assertThrows(
              InvocationTargetException.class,
              () -> forUrl.invoke(null, "vm://orders?user=app&password=s3cret"));
      Throwable cause = thrown.getCause();
      assertEquals("jakarta.jms.JMSException", cause.getClass().getName());
      assertTrue(
          cause.getMessage().contains("broker engine is not on the class path")
              && cause.getMessage().contains("io.warrenmq:broker-engine"),
          cause.getMessage());
      assertFalse(cause.getMessage().contains("s3cret"), "the password is masked");
      assertEquals(false, factory.getMethod("stopBroker", String.class).invoke(null, "orders"));
    }
  }
}
