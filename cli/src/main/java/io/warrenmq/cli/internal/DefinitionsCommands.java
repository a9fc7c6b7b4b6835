package io.warrenmq.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code export_definitions} and {@code import_definitions}: RabbitMQ's definitions JSON (users,
 * vhosts, permissions, exchanges, queues, bindings, ...) through {@code GET/POST /api/definitions},
 * or {@code /api/definitions/{vhost}} for one virtual host when {@code -p} is given.
 */
final class DefinitionsCommands {
  private DefinitionsCommands() {}

  private static String path(ApiCommand command) {
    return command.root().vhostGiven()
        ? "/api/definitions/" + command.vhostSegment()
        : "/api/definitions";
  }

  private static String scope(ApiCommand command) {
    return command.root().vhostGiven() ? " of vhost '" + command.vhost() + "'" : "";
  }

  @Command(
      name = "export_definitions",
      description =
          "Writes the broker's definitions (or, with -p, one virtual host's) as JSON to FILE, or to"
              + " standard output for -.")
  static final class ExportDefinitions extends ApiCommand {
    @Parameters(index = "0", paramLabel = "FILE|-")
    String target;

    @Override
    void run() {
      JsonNode definitions = client().get(path(this));
      String json = OutputFormat.pretty(definitions) + "\n";
      if (target.equals("-")) {
        out().print(json);
        return;
      }
      try {
        Files.writeString(Path.of(target), json, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(ExitCodes.DATA_ERROR, "cannot write " + target + ": " + e, e);
      }
      info("Exported definitions" + scope(this) + " to " + target);
    }
  }

  @Command(
      name = "import_definitions",
      description =
          "Reads definitions JSON (as export_definitions writes it) from FILE, or from standard"
              + " input for -, and imports them (POST /api/definitions, or"
              + " /api/definitions/{vhost} with -p): objects are created or updated, none are"
              + " deleted.")
  static final class ImportDefinitions extends ApiCommand {
    @Parameters(index = "0", paramLabel = "FILE|-")
    String source;

    @Override
    void run() {
      String text;
      try {
        if (source.equals("-")) {
          InputStream in = root().stdin();
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } else {
          text = Files.readString(Path.of(source), StandardCharsets.UTF_8);
        }
      } catch (NoSuchFileException e) {
        throw new CliException(ExitCodes.DATA_ERROR, "no such file: " + source, e);
      } catch (IOException e) {
        throw new CliException(ExitCodes.DATA_ERROR, "cannot read " + source + ": " + e, e);
      }
      JsonNode definitions;
      try {
        definitions = ManagementClient.JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new CliException(
            ExitCodes.DATA_ERROR,
            (source.equals("-") ? "standard input" : source)
                + " is not JSON: "
                + e.getOriginalMessage(),
            e);
      }
      if (definitions == null || !definitions.isObject()) {
        throw new CliException(
            ExitCodes.DATA_ERROR,
            (source.equals("-") ? "standard input" : source)
                + " is not a definitions object ({\"queues\": [...], ...})");
      }
      info("Importing definitions" + scope(this) + " from " + source + " ...");
      client().send("POST", path(this), definitions, Map.of());
    }
  }
}
