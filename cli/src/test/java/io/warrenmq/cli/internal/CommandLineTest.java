package io.warrenmq.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.cli.Warrenctl;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The command line itself, without any API: parsing, usage errors, help and completion. */
class CommandLineTest {
  record Result(int exit, String out, String err) {}

  static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Warrenctl.commandLine(env, new ByteArrayInputStream(new byte[0]));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void anUnknownCommandIsUsageError64() {
    Result result = run(Map.of(), "list_queuez");
    assertEquals(ExitCodes.USAGE, result.exit());
    assertTrue(result.err().contains("list_queuez"), result.err());
    assertTrue(result.err().contains("--help"), result.err());
  }

  @Test
  void aMissingArgumentIsUsageError64() {
    Result result = run(Map.of(), "add_user", "alice");
    assertEquals(ExitCodes.USAGE, result.exit());
    assertTrue(result.err().contains("PASSWORD"), result.err());
  }

  @Test
  void noCommandPrintsTheUsageAndExits64() {
    Result result = run(Map.of());
    assertEquals(ExitCodes.USAGE, result.exit());
    assertTrue(result.err().contains("list_queues"), result.err());
  }

  @Test
  void anUnknownFormatterIsUsageError64() {
    assertEquals(ExitCodes.USAGE, run(Map.of(), "--formatter", "xml", "list_queues").exit());
  }

  @Test
  void anUnknownColumnIsUsageError64BeforeAnyRequest() {
    // the URL is not even a URL: the column is checked first
    Result result = run(Map.of("WARRENCTL_URL", "nowhere"), "list_queues", "nme");
    assertEquals(ExitCodes.USAGE, result.exit());
    assertTrue(result.err().contains("unknown column 'nme'"), result.err());
  }

  @Test
  void aBadUrlIsUsageError64WithoutItsPassword() {
    Result result = run(Map.of(), "--url", "ftp://u:hunter2@host", "status");
    assertEquals(ExitCodes.USAGE, result.exit());
    assertFalse(result.err().contains("hunter2"), result.err());
  }

  @Test
  @Timeout(20)
  void anApiThatAcceptsButNeverAnswersExits75AfterTheTimeout() throws Exception {
    // the kernel completes the TCP handshake from the backlog; nothing ever answers the request
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      long start = System.nanoTime();
      Result result =
          run(Map.of(), "--url", "http://127.0.0.1:" + silent.getLocalPort(), "-t", "1", "status");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(ExitCodes.TEMP_FAILURE, result.exit(), result.err());
      assertTrue(result.err().contains("no answer within 1000 ms"), result.err());
      assertTrue(millis < 10_000, millis + " ms");
    }
  }

  @Test
  void aTimeoutOutsideItsRangeIsUsageError64() {
    assertEquals(ExitCodes.USAGE, run(Map.of(), "-t", "0", "status").exit());
  }

  @Test
  void aWrongCommandLineNeverQuotesThePassword() {
    Result result = run(Map.of(), "--password", "pw-in-args", "delete_user", "bob", "pw-in-args");
    assertEquals(ExitCodes.USAGE, result.exit());
    assertTrue(result.err().contains("Unmatched argument"), result.err());
    assertFalse(result.err().contains("pw-in-args"), result.err());
  }

  @Test
  void helpListsTheCommandsAndExitCodesAndNeverThePasswordFromTheEnvironment() {
    Result result = run(Map.of("WARRENCTL_PASSWORD", "envsecret"), "--help");
    assertEquals(0, result.exit());
    for (String command :
        new String[] {
          "list_queues",
          "list_exchanges",
          "list_bindings",
          "list_connections",
          "list_consumers",
          "add_user",
          "change_password",
          "set_user_tags",
          "set_permissions",
          "add_vhost",
          "delete_vhost",
          "purge_queue",
          "delete_queue",
          "export_definitions",
          "import_definitions",
          "close_connection",
          "status",
          "move_messages",
          "generate-completion"
        }) {
      assertTrue(result.out().contains(command), command);
    }
    assertTrue(result.out().contains("77 no permission"), result.out());
    assertFalse(result.out().contains("envsecret"));
  }

  @Test
  void listQueuesHelpNamesItsKnownColumns() {
    Result result = run(Map.of(), "list_queues", "--help");
    assertEquals(0, result.exit());
    assertTrue(result.out().contains("messages_unacknowledged"), result.out());
    assertTrue(result.out().contains("Default columns: name messages"), result.out());
  }

  @Test
  void generateCompletionWritesABashScriptWithTheCommandsAndColumns() {
    Result result = run(Map.of(), "generate-completion");
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("complete -F"), result.out());
    assertTrue(result.out().contains("list_queues"));
    assertTrue(result.out().contains("move_messages"));
    assertTrue(result.out().contains("messages_unacknowledged"));
  }
}
