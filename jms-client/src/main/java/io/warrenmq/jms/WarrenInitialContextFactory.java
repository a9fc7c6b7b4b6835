package io.warrenmq.jms;

import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

/**
 * JNDI bootstrap for standalone clients, in the convention of Qpid JMS and ActiveMQ Artemis: set
 * {@code java.naming.factory.initial=io.warrenmq.jms.WarrenInitialContextFactory} and describe the
 * objects in the environment, a {@code jndi.properties} on the class path, or a properties file
 * named by {@code java.naming.provider.url} (a path or a {@code file:} URL):
 *
 * <ul>
 *   <li>{@code connectionFactory.<name>=vm://<broker>[?options]}: a {@link WarrenConnectionFactory}
 *       ({@link WarrenConnectionFactory#forUrl} lists the options);
 *   <li>{@code queue.<name>=<queue>}: a {@link WarrenQueue};
 *   <li>{@code topic.<name>=<topic>}: a {@link WarrenTopic}.
 * </ul>
 *
 * With no {@code connectionFactory.*} entry, {@code ConnectionFactory} is bound to {@code
 * vm://warren}. The context is read-only.
 *
 * <p>Thread-safety: thread-safe; each {@link #getInitialContext} builds a new context.
 */
public final class WarrenInitialContextFactory implements InitialContextFactory {

  /** Creates the factory; JNDI calls this. */
  public WarrenInitialContextFactory() {}

  /**
   * @throws ConfigurationException naming the entry that is wrong (bad URL, unreadable provider
   *     file), with the cause attached
   */
  @Override
  public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
    Map<String, String> entries = new LinkedHashMap<>();
    Object providerUrl = environment.get(Context.PROVIDER_URL);
    if (providerUrl != null && !providerUrl.toString().isBlank()) {
      entries.putAll(readProviderFile(providerUrl.toString()));
    }
    environment.forEach((k, v) -> entries.put(k.toString(), v.toString()));

    Map<String, Object> bindings = new LinkedHashMap<>();
    boolean anyFactory = false;
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("connectionFactory.")) {
        anyFactory = true;
        bindings.put(key.substring("connectionFactory.".length()), factory(key, e.getValue()));
      } else if (key.startsWith("queue.")) {
        bindings.put(key.substring("queue.".length()), new WarrenQueue(e.getValue()));
      } else if (key.startsWith("topic.")) {
        bindings.put(key.substring("topic.".length()), new WarrenTopic(e.getValue()));
      }
    }
    if (!anyFactory) {
      bindings.put("ConnectionFactory", factory("ConnectionFactory", "vm://warren"));
    }
    return new ReadOnlyContext(bindings, environment);
  }

  private static WarrenConnectionFactory factory(String key, String url)
      throws ConfigurationException {
    try {
      return WarrenConnectionFactory.forUrl(url);
    } catch (JMSException e) {
      ConfigurationException ce =
          new ConfigurationException("JNDI entry '" + key + "': " + e.getMessage());
      ce.setRootCause(e);
      throw ce;
    }
  }

  private static Map<String, String> readProviderFile(String location)
      throws ConfigurationException {
    Properties properties = new Properties();
    try (InputStream in =
        location.startsWith("file:")
            ? URI.create(location).toURL().openStream()
            : Files.newInputStream(Path.of(location))) {
      properties.load(in);
    } catch (IOException | IllegalArgumentException e) {
      ConfigurationException ce =
          new ConfigurationException(
              Context.PROVIDER_URL + " '" + location + "' cannot be read: " + e.getMessage());
      ce.setRootCause(e);
      throw ce;
    }
    Map<String, String> entries = new LinkedHashMap<>();
    properties.forEach((k, v) -> entries.put(k.toString(), v.toString()));
    return entries;
  }
}
