package io.warrenmq.jms.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import jakarta.jms.JMSException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A remote client's class path is jms-client, client-api, the Jakarta Messaging API and Netty: no
 * broker engine, no store. Over {@code amqp://} such a client sends and receives (the issue's
 * "client jar for remote use"); the class loader here holds exactly those jars (and this test's
 * classes, of which only {@link RemoteClientMain} is loaded).
 */
@Timeout(60)
class RemoteClientClassPathTest {

  private static URL locationOf(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation();
  }

  @Test
  void aClientWithoutTheEngineOnItsClassPathSendsAndReceivesOverTheWire() throws Exception {
    Set<URL> path = new LinkedHashSet<>();
    path.add(locationOf(WarrenConnectionFactory.class)); // jms-client
    path.add(locationOf(AmqpChannel.class)); // client-api
    path.add(locationOf(JMSException.class)); // jakarta.jms-api
    for (Class<?> netty :
        new Class<?>[] {
          io.netty.buffer.ByteBuf.class,
          io.netty.util.ReferenceCounted.class,
          io.netty.channel.Channel.class,
          io.netty.resolver.AddressResolver.class,
          io.netty.handler.ssl.SslHandler.class,
          io.netty.handler.codec.ByteToMessageDecoder.class
        }) {
      path.add(locationOf(netty));
    }
    path.add(locationOf(RemoteClientMain.class)); // this test's classes
    Broker broker = new Broker(BrokerConfig.named("remote-client"));
    WarrenServer server = WarrenServer.start(broker, ServerConfig.defaults());
    try (URLClassLoader loader =
        new URLClassLoader(path.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThrows(
          ClassNotFoundException.class,
          () -> Class.forName("io.warrenmq.engine.Broker", false, loader),
          "the remote client's class path must not hold the engine");
      assertThrows(
          ClassNotFoundException.class,
          () -> Class.forName("io.warrenmq.store.jdbc.JdbcMessageStoreProvider", false, loader));
      Class<?> main = Class.forName(RemoteClientMain.class.getName(), true, loader);
      Object got =
          main.getMethod("roundTrip", String.class, String.class)
              .invoke(null, "amqp://guest:guest@127.0.0.1:" + server.port(), "no engine here");
      assertEquals("no engine here", got);
    } finally {
      server.close();
      broker.close();
    }
  }
}
