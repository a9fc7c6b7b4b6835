package io.warrenmq.server.clients;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;

/**
 * RabbitMQ's tutorials with amqplib, the Node.js AMQP 0-9-1 client (npm), through its promise API:
 * scripts in {@code src/test/node}. amqplib is installed by {@code npm ci} from the pinned {@code
 * src/test/node/package-lock.json} into {@code target/node-clients} (once; again only when the lock
 * file changes), and found by the scripts through {@code NODE_PATH}. Without Node.js 18+ and npm,
 * or when {@code npm ci} fails (no registry), its tests are skipped with the reason.
 */
class AmqplibTutorialsTest extends RabbitMqTutorials {
  private static Path nodeModules;
  private static String problem;

  @BeforeAll
  static void installAmqplib() throws InterruptedException {
    problem = install();
    ClientScript.reportUnavailable("amqplib", problem);
  }

  @Override
  String client() {
    return "amqplib";
  }

  @Override
  String unavailable() {
    return problem;
  }

  /** Installs amqplib under target/; returns why it could not, or null. */
  private static String install() throws InterruptedException {
    try {
      ClientScript.Run node =
          ClientScript.run(
              "node version", List.of("node", "--version"), Map.of(), Duration.ofSeconds(30));
      String version = String.join("", node.stdout()).trim();
      if (node.exitCode() != 0 || !version.matches("v\\d+\\..*")) {
        return "node --version failed: " + node.describe();
      }
      if (Integer.parseInt(version.substring(1, version.indexOf('.'))) < 18) {
        return "amqplib needs Node.js 18 or later, found " + version;
      }
      Path dir = Files.createDirectories(ClientScript.buildDirectory().resolve("node-clients"));
      Path sources = ClientScript.testSources("node");
      byte[] lock = Files.readAllBytes(sources.resolve("package-lock.json"));
      Path installedLock = dir.resolve("installed-package-lock.json");
      Path amqplib = dir.resolve("node_modules").resolve("amqplib").resolve("package.json");
      boolean current =
          Files.isRegularFile(amqplib)
              && Files.isRegularFile(installedLock)
              && Arrays.equals(lock, Files.readAllBytes(installedLock));
      if (!current) {
        for (String file : List.of("package.json", "package-lock.json")) {
          Files.copy(sources.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        ClientScript.Run npm =
            ClientScript.run(
                "npm ci",
                List.of(
                    "npm",
                    "ci",
                    "--prefix",
                    dir.toString(),
                    "--no-audit",
                    "--no-fund",
                    "--prefer-offline"),
                Map.of(),
                Duration.ofMinutes(5));
        if (npm.exitCode() != 0) {
          return "npm ci of src/test/node/package-lock.json failed: " + npm.describe();
        }
        Files.write(installedLock, lock);
      }
      nodeModules = dir.resolve("node_modules");
      System.err.println("amqplib from " + nodeModules + " with Node.js " + version);
      return null;
    } catch (IOException e) {
      return "node or npm cannot be run (" + e.getMessage() + ")";
    }
  }

  @Override
  ClientScript.Run run(String scenario, List<String> arguments) throws Exception {
    Path script = ClientScript.testSources("node").resolve(scenario + ".js");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("no script " + script);
    }
    return ClientScript.run(
        "amqplib " + scenario,
        Stream.concat(Stream.of("node", script.toString()), arguments.stream()).toList(),
        Map.of("NODE_PATH", nodeModules.toString()),
        Duration.ofSeconds(90));
  }

  @Override
  List<String> heartbeatsOutput() {
    return List.of(
        "negotiated heartbeat: 1 s", "after 4 s idle the connection works: still here", "done");
  }

  @Override
  List<String> refusedLoginOutput() {
    return List.of(
        "refused: Handshake terminated by server: 403 (ACCESS-REFUSED) with message"
            + " \"ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For"
            + " details see the broker logfile.\"",
        "done");
  }

  @Override
  List<String> clientCertificateOutput(Alert alert) {
    return List.of(
        "with the client certificate: connected, got 'Hello, mutual TLS'",
        "without a client certificate: refused: ERR_SSL_" + alert.reason(),
        "reason: " + alert.openSsl() + " (alert number " + alert.number() + ")",
        "done");
  }

  @Override
  List<String> untrustedServerOutput() {
    return List.of(
        "refused: SELF_SIGNED_CERT_IN_CHAIN",
        "reason: self-signed certificate in certificate chain",
        "done");
  }
}
