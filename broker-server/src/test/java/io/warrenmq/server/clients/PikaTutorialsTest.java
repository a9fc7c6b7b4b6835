package io.warrenmq.server.clients;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;

/**
 * RabbitMQ's tutorials with pika, RabbitMQ's Python client (Debian package {@code python3-pika},
 * 1.2), through its {@code BlockingConnection}: scripts in {@code src/test/python}. The interpreter
 * is the first of {@code /usr/bin/python3} (where Debian's package installs) and {@code python3} on
 * the path that imports pika; without one its tests are skipped with the reason.
 */
class PikaTutorialsTest extends RabbitMqTutorials {
  private static String python;
  private static String problem;

  @BeforeAll
  static void findPika() throws InterruptedException {
    problem = "no python3 imports pika (Debian: apt-get install -y python3-pika)";
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      try {
        ClientScript.Run probe =
            ClientScript.run(
                "pika probe",
                List.of(candidate, "-c", "import pika; print(pika.__version__)"),
                Map.of(),
                Duration.ofSeconds(30));
        if (probe.exitCode() == 0) {
          python = candidate;
          System.err.println("pika " + String.join("", probe.stdout()) + " with " + candidate);
          problem = null;
          break;
        }
      } catch (IOException e) {
        // this candidate is not installed: try the next
      }
    }
    ClientScript.reportUnavailable("pika", problem);
  }

  @Override
  String client() {
    return "pika";
  }

  @Override
  String unavailable() {
    return problem;
  }

  @Override
  ClientScript.Run run(String scenario, List<String> arguments) throws Exception {
    Path script = ClientScript.testSources("python").resolve(scenario + ".py");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("no script " + script);
    }
    return ClientScript.run(
        "pika " + scenario,
        Stream.concat(Stream.of(python, script.toString()), arguments.stream()).toList(),
        Map.of("PYTHONDONTWRITEBYTECODE", "1"),
        Duration.ofSeconds(90));
  }

  @Override
  List<String> heartbeatsOutput() {
    return List.of(
        "broker proposed 60 s; pika asked for 1 s",
        "after 4 s idle the connection works: still here",
        "broker heartbeats received: at least 2",
        "done");
  }

  @Override
  List<String> refusedLoginOutput() {
    return List.of(
        "refused: ProbableAuthenticationError",
        "reason: ConnectionClosedByBroker: (403) 'ACCESS_REFUSED - Login was refused using"
            + " authentication mechanism PLAIN. For details see the broker logfile.'",
        "done");
  }

  @Override
  List<String> clientCertificateOutput(Alert alert) {
    return List.of(
        "with the client certificate: connected, got 'Hello, mutual TLS'",
        "without a client certificate: refused: IncompatibleProtocolError",
        "reason: StreamLostError: (\"Stream connection lost: SSLError(1, '[SSL: "
            + alert.reason()
            + "] "
            + alert.openSsl()
            + "')\",)",
        "done");
  }

  @Override
  List<String> untrustedServerOutput() {
    return List.of(
        "refused: SSLCertVerificationError",
        "reason: self-signed certificate in certificate chain (verify code 19)",
        "done");
  }
}
