package io.warrenmq.cli.internal;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of every subcommand that calls the management API: access to the global options, the
 * client and the output. Subclasses implement {@link #run()} and throw {@link CliException} for a
 * failure; returning normally means exit status 0.
 */
abstract class ApiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    run();
    out().flush();
    return ExitCodes.OK;
  }

  /** Does the command's work. */
  abstract void run();

  WarrenctlCommand root() {
    return (WarrenctlCommand) spec.root().userObject();
  }

  ManagementClient client() {
    return root().client();
  }

  String vhost() {
    return root().vhost();
  }

  /** The encoded {@code /api/...} segment of the current virtual host. */
  String vhostSegment() {
    return ManagementClient.segment(vhost());
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /**
   * Prints an informational line ({@code Adding user "x" ...}) unless {@code -q} was given or the
   * output is JSON (which must stay parseable).
   */
  void info(String message) {
    if (!root().quiet() && root().formatter() != OutputFormat.json) {
      out().println(message);
    }
  }
}
