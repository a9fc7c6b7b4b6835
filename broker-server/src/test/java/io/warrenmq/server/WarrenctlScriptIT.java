package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/warrenctl} run as a process, as an operator runs it: it starts with
 * the cli jar and its dependencies from {@code lib/}, prints nothing but its own output (no logging
 * from the server's jars), and exits with rabbitmqctl's codes. The management-API case runs against
 * RabbitMQ's API on 127.0.0.1:15672 and is skipped, visibly, when that does not answer; the
 * commands themselves are tested in the cli module ({@code WarrenctlIT}).
 */
@Timeout(120)
class WarrenctlScriptIT {
  private static final Path DISTRIBUTION =
      Path.of(System.getProperty("warrenmq.distribution", "target/warrenmq-server"));

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run warrenctl(String... args) throws IOException, InterruptedException {
    Path script = DISTRIBUTION.resolve("bin/warrenctl");
    assumeTrue(Files.isExecutable(script), "no distribution at " + DISTRIBUTION + " (mvn package)");
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove("WARRENCTL_URL");
    builder.environment().remove("WARRENCTL_USERNAME");
    builder.environment().remove("WARRENCTL_PASSWORD");
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "warrenctl ended within 60 s");
    } finally {
      process.destroyForcibly();
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void versionAndCompletionComeFromTheScript() throws Exception {
    Run version = warrenctl("--version");
    assertEquals(0, version.exit(), version.err());
    assertEquals(
        "warrenctl " + System.getProperty("warrenmq.version", "0.1.0-SNAPSHOT"),
        version.out().strip());

    Run completion = warrenctl("generate-completion");
    assertEquals(0, completion.exit(), completion.err());
    assertTrue(completion.out().contains("complete -F _complete_warrenctl -o default warrenctl"));
  }

  @Test
  void anUnreachableApiExits69WithOneLineOnStandardError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Run run = warrenctl("--url", "http://127.0.0.1:" + port, "status");
    assertEquals(69, run.exit(), run.err());
    assertEquals("", run.out());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("warrenctl: status: GET http://127.0.0.1:" + port), run.err());
  }

  @Test
  void listVhostsAgainstRabbitMqsManagementApi() throws Exception {
    Run status = warrenctl("-q", "status");
    if (status.exit() == 69) {
      System.err.println("WarrenctlScriptIT: skipped, no management API: " + status.err());
    }
    assumeTrue(status.exit() != 69, "no management API on 127.0.0.1:15672: " + status.err());
    Run vhosts = warrenctl("-q", "--formatter", "tsv", "--no-table-headers", "list_vhosts");
    assertEquals(0, vhosts.exit(), vhosts.err());
    assertTrue(vhosts.out().lines().anyMatch("/"::equals), vhosts.out());
    assertEquals("", vhosts.err());
  }
}
