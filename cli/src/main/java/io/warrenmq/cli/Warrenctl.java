package io.warrenmq.cli;

import io.warrenmq.cli.internal.WarrenctlCommand;
import java.io.InputStream;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code warrenctl}: operates a WarrenMQ (or RabbitMQ) broker through its RabbitMQ-compatible
 * management HTTP API, with {@code rabbitmqctl}'s command names, arguments and column names ({@code
 * list_queues name messages_ready}, {@code add_user}, {@code set_permissions}, {@code purge_queue},
 * {@code export_definitions}, ...; {@code warrenctl --help} lists them), and {@code move_messages},
 * which moves messages between queues through the API (not atomically per message: see its help).
 *
 * <p>Global options, before or after the command: {@code --url} (default {@code WARRENCTL_URL},
 * else {@code http://127.0.0.1:15672}), {@code --username}/{@code --password} (default {@code
 * WARRENCTL_USERNAME}/{@code WARRENCTL_PASSWORD}, else the URL's user information, else
 * guest/guest; a password is never printed, and URLs in messages carry no user information), {@code
 * -p/--vhost} (default {@code /}), {@code --formatter table|json|tsv}, {@code -q/--quiet}, {@code
 * --no-table-headers}, {@code -t/--timeout} seconds (default 60).
 *
 * <p>Exit status, as {@code rabbitmqctl} (BSD sysexits): 0 success; 64 a wrong command line; 65
 * data error (the API answered 400 or 404, or an input file is missing or not JSON); 69 the API is
 * unavailable (connection refused, unknown host, 503); 70 software error (another 5xx, an answer
 * that is not JSON); 75 temporary failure (connect or request timeout); 77 no permission (401,
 * 403). A failure prints one line on standard error: {@code warrenctl: <command>: <METHOD> <URL>:
 * HTTP <status> <error>: <reason>}.
 *
 * <p>Shell completion: {@code source <(warrenctl generate-completion)} (picocli's {@code
 * AutoComplete}, bash and zsh).
 *
 * <p>Thread-safety: {@link #commandLine} returns a new command line per call; one command line runs
 * one command at a time.
 */
public final class Warrenctl {
  private Warrenctl() {}

  /**
   * Runs warrenctl with the process environment, standard input and output, and exits with its
   * status (see the class comment).
   */
  public static void main(String[] args) {
    System.exit(commandLine(System.getenv(), System.in).execute(args));
  }

  /**
   * A new warrenctl command line, ready for {@link CommandLine#execute}, which returns the exit
   * status instead of exiting; {@link CommandLine#setOut} and {@link CommandLine#setErr} redirect
   * its output (tests capture it so).
   *
   * @param environment the variables {@code WARRENCTL_URL}, {@code WARRENCTL_USERNAME}, {@code
   *     WARRENCTL_PASSWORD} are read from (others are ignored)
   * @param stdin what {@code import_definitions -} reads
   */
  public static CommandLine commandLine(Map<String, String> environment, InputStream stdin) {
    return WarrenctlCommand.commandLine(environment, stdin);
  }
}
