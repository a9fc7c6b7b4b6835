package io.warrenmq.cli.internal;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code warrenctl} command: the global options (inherited by every subcommand, so they may be
 * given before or after the subcommand's name, as {@code rabbitmqctl} takes {@code -p}) and the
 * subcommands. The credentials come from {@code --username}/{@code --password}, else {@code
 * WARRENCTL_USERNAME}/{@code WARRENCTL_PASSWORD}, else the URL's user information, else {@code
 * guest}/{@code guest} (as {@code rabbitmqadmin}).
 *
 * <p>Thread-safety: one instance serves one command line, on one thread.
 */
@Command(
    name = "warrenctl",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = WarrenctlCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Operates a WarrenMQ (or RabbitMQ) broker through its management HTTP API, with"
          + " rabbitmqctl's command and column names."
    },
    subcommands = {
      ListCommands.ListQueues.class,
      ListCommands.ListExchanges.class,
      ListCommands.ListBindings.class,
      ListCommands.ListConnections.class,
      ListCommands.ListConsumers.class,
      ListCommands.ListUsers.class,
      ListCommands.ListVhosts.class,
      ListCommands.ListPermissions.class,
      AccessCommands.AddUser.class,
      AccessCommands.DeleteUser.class,
      AccessCommands.ChangePassword.class,
      AccessCommands.SetUserTags.class,
      AccessCommands.SetPermissions.class,
      AccessCommands.ClearPermissions.class,
      AccessCommands.AddVhost.class,
      AccessCommands.DeleteVhost.class,
      QueueCommands.PurgeQueue.class,
      QueueCommands.DeleteQueue.class,
      QueueCommands.MoveMessages.class,
      DefinitionsCommands.ExportDefinitions.class,
      DefinitionsCommands.ImportDefinitions.class,
      ServerCommands.CloseConnection.class,
      ServerCommands.Status.class,
      AutoComplete.GenerateCompletion.class
    },
    footer = {
      "",
      "Environment: WARRENCTL_URL, WARRENCTL_USERNAME, WARRENCTL_PASSWORD (defaults of --url,"
          + " --username, --password).",
      "Exit status (sysexits, as rabbitmqctl): 0 ok, 64 usage error, 65 data error (bad input,"
          + " 400, 404), 69 API unavailable (connection refused, 503), 70 software error (other"
          + " 5xx), 75 temporary failure (timeout), 77 no permission (401, 403).",
      "Shell completion for bash and zsh: source <(warrenctl generate-completion)"
    })
public final class WarrenctlCommand implements Callable<Integer> {
  /** The management API when neither {@code --url} nor {@code WARRENCTL_URL} names one. */
  public static final String DEFAULT_URL = "http://127.0.0.1:15672";

  private final Map<String, String> environment;
  private final InputStream stdin;

  @Spec private CommandSpec spec;

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "The management API's root URL. Default: WARRENCTL_URL, else " + DEFAULT_URL + ".")
  private String url;

  @Option(
      names = "--username",
      scope = ScopeType.INHERIT,
      paramLabel = "USER",
      description = "The API user. Default: WARRENCTL_USERNAME, else guest.")
  private String username;

  @Option(
      names = "--password",
      scope = ScopeType.INHERIT,
      paramLabel = "PASSWORD",
      showDefaultValue = CommandLine.Help.Visibility.NEVER,
      description =
          "The API user's password (never printed). Default: WARRENCTL_PASSWORD, else guest.")
  private String password;

  @Option(
      names = {"-p", "--vhost"},
      scope = ScopeType.INHERIT,
      paramLabel = "VHOST",
      description = "The virtual host. Default: /.")
  private String vhost;

  @Option(
      names = "--formatter",
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES}. Default: table.")
  private OutputFormat formatter;

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "Print no informational messages (\"Listing queues ...\"), only results.")
  private boolean quiet;

  @Option(
      names = "--no-table-headers",
      scope = ScopeType.INHERIT,
      description = "Print no header row (table and tsv).")
  private boolean noTableHeaders;

  @Option(
      names = {"-t", "--timeout"},
      scope = ScopeType.INHERIT,
      paramLabel = "SECONDS",
      description = "Connect and request timeout, in seconds (1-86400). Default: 60.")
  private Integer timeoutSeconds;

  private ManagementClient client;

  /**
   * @param environment the process environment (WARRENCTL_* variables)
   * @param stdin what {@code import_definitions -} reads
   */
  public WarrenctlCommand(Map<String, String> environment, InputStream stdin) {
    this.environment = Map.copyOf(environment);
    this.stdin = stdin;
  }

  /** Without a subcommand: prints the usage and fails with {@link ExitCodes#USAGE}. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The API client for this command line's options (built on first use). */
  ManagementClient client() {
    if (client == null) {
      String given = url != null ? url : environment.getOrDefault("WARRENCTL_URL", DEFAULT_URL);
      ManagementClient.Endpoint endpoint = ManagementClient.Endpoint.parse(given);
      String user =
          firstNonNull(
              username, environment.get("WARRENCTL_USERNAME"), endpoint.username(), "guest");
      String secret =
          firstNonNull(
              password, environment.get("WARRENCTL_PASSWORD"), endpoint.password(), "guest");
      int seconds = timeoutSeconds == null ? 60 : timeoutSeconds;
      if (seconds < 1 || seconds > 86_400) {
        throw new CliException(
            ExitCodes.USAGE, "--timeout must be 1-86400 seconds, not " + seconds);
      }
      client = new ManagementClient(endpoint.root(), user, secret, Duration.ofSeconds(seconds));
    }
    return client;
  }

  private static String firstNonNull(String... values) {
    for (String value : values) {
      if (value != null) {
        return value;
      }
    }
    throw new AssertionError();
  }

  /** {@code -p}, else {@code /}. */
  String vhost() {
    return vhost == null ? "/" : vhost;
  }

  /** Whether {@code -p} was given (export/import of one virtual host's definitions). */
  boolean vhostGiven() {
    return vhost != null;
  }

  OutputFormat formatter() {
    return formatter == null ? OutputFormat.table : formatter;
  }

  boolean quiet() {
    return quiet;
  }

  boolean headers() {
    return !noTableHeaders;
  }

  InputStream stdin() {
    return stdin;
  }

  /**
   * A command line for this command, with warrenctl's error handling: a {@link CliException} prints
   * {@code warrenctl: <command>: <message>} on standard error and exits with its code; a wrong
   * command line prints the problem and a hint and exits 64; any other exception exits 70.
   */
  public static CommandLine commandLine(Map<String, String> environment, InputStream stdin) {
    CommandLine commandLine = new CommandLine(new WarrenctlCommand(environment, stdin));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    ListCommands.describeColumns(commandLine);
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parseResult) -> {
          PrintWriter err = failed.getErr();
          String command = failed.getCommandName();
          if (exception instanceof CliException cli) {
            err.println("warrenctl: " + command + ": " + cli.getMessage());
            err.flush();
            return cli.exitCode();
          }
          err.println("warrenctl: " + command + ": unexpected error: " + exception);
          err.flush();
          return ExitCodes.SOFTWARE;
        });
    commandLine.setParameterExceptionHandler(
        (exception, args) -> {
          CommandLine failed = exception.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println("warrenctl: " + maskPasswords(exception.getMessage(), args));
          err.println(
              "Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
          err.flush();
          return ExitCodes.USAGE;
        });
    return commandLine;
  }

  /**
   * {@code message} with the value of every {@code --password} in {@code args} replaced by {@code
   * ****}: picocli quotes unmatched arguments, which may be a misplaced password.
   */
  static String maskPasswords(String message, String[] args) {
    String masked = message;
    for (int i = 0; i < args.length; i++) {
      String secret = null;
      if (args[i].equals("--password") && i + 1 < args.length) {
        secret = args[i + 1];
      } else if (args[i].startsWith("--password=")) {
        secret = args[i].substring("--password=".length());
      }
      if (secret != null && !secret.isEmpty()) {
        masked = masked.replace(secret, "****");
      }
    }
    return masked;
  }

  /** The version from the jar's manifest ({@code Implementation-Version}). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = WarrenctlCommand.class.getPackage().getImplementationVersion();
      return new String[] {"warrenctl " + (version == null ? "(development build)" : version)};
    }
  }
}
