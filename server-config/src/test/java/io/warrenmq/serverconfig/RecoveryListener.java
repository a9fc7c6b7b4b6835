package io.warrenmq.serverconfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Narayana's recovery listener of a WildFly test server (transactions subsystem {@code
 * recovery-listener=true}, socket binding {@code txn-recovery-environment}: 4712 + the server's
 * port offset, on 127.0.0.1): runs a recovery scan at once instead of after WildFly's 2-minute
 * period.
 */
final class RecoveryListener {
  private RecoveryListener() {}

  /**
   * Sends one command and returns the answer line: {@code SCAN} answers {@code DONE} after a full
   * scan (both passes), {@code VERBOSE_SCAN} {@code DONE}, or {@code ERROR} if a recovery module
   * failed. Waits up to 120 s for the answer.
   *
   * @param portOffset the server's {@code jboss.socket.binding.port-offset}
   */
  static String send(int portOffset, String command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 4712 + portOffset), 5_000);
      socket.setSoTimeout(120_000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }
}
