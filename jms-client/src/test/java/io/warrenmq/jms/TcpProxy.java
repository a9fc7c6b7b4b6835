package io.warrenmq.jms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on an ephemeral loopback port in front of a broker, for failover tests: it can drop
 * every relayed connection abruptly ({@link #cut()}, the client sees the socket close without an
 * AMQP {@code connection.close}, as when a broker's host dies), refuse new ones while a "broker is
 * down" ({@link #refuse()}: accept and close at once, counted), and hold back what the broker sends
 * ({@link #holdReplies}) so that a publish is received but its confirm is not.
 *
 * <p>Thread-safety: thread-safe; one daemon thread accepts, two relay each connection.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean refusing;
  private volatile boolean holdReplies;
  private volatile boolean holdRequests;

  TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far, relayed or refused. */
  int accepted() {
    return accepted.get();
  }

  /** Closes every relayed connection at once (both sides). */
  void cut() {
    for (Socket s : sockets) {
      close(s);
    }
    sockets.clear();
  }

  /** The broker is "down": relayed connections are cut, new ones closed once accepted. */
  void refuse() {
    refusing = true;
    cut();
  }

  /** The broker is "up" again. */
  void forward() {
    refusing = false;
  }

  /** While true, bytes from the broker are held back (read, not yet passed on). */
  void holdReplies(boolean hold) {
    holdReplies = hold;
  }

  /** While true, bytes from the client are held back (read, not yet passed on). */
  void holdRequests(boolean hold) {
    holdRequests = hold;
  }

  @Override
  public void close() {
    close(server);
    cut();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      if (refusing) {
        close(client);
        continue;
      }
      Socket upstream;
      try {
        upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      } catch (IOException e) {
        close(client);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      relay(client, upstream, false);
      relay(upstream, client, true);
    }
  }

  private void relay(Socket from, Socket to, boolean reply) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  while ((reply ? holdReplies : holdRequests) && !to.isClosed()) {
                    Thread.sleep(2);
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // cut
              } finally {
                close(from);
                close(to);
              }
            },
            "tcp-proxy-relay");
    t.setDaemon(true);
    t.start();
  }

  private static void close(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
