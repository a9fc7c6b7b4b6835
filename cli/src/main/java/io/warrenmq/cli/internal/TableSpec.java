package io.warrenmq.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns a {@code list_*} command knows (its {@code rabbitmqctl} info items) and those it
 * prints when none are named, with the parsing of a requested column list.
 *
 * <p>Thread-safety: immutable.
 */
public final class TableSpec {
  private final String command;
  private final Map<String, Column> known = new LinkedHashMap<>();
  private final List<String> defaults;

  /**
   * @param command the command's name, for error messages
   * @param defaults the columns printed when none are requested (each must be among {@code
   *     columns})
   * @param columns every known column, in the order {@code --help} lists them
   */
  public TableSpec(String command, List<String> defaults, List<Column> columns) {
    this.command = command;
    for (Column column : columns) {
      known.put(column.name(), column);
    }
    for (String name : defaults) {
      if (!known.containsKey(name)) {
        throw new IllegalArgumentException(command + ": default column " + name + " is unknown");
      }
    }
    this.defaults = List.copyOf(defaults);
  }

  /** The known column names, in order. */
  public List<String> names() {
    return List.copyOf(known.keySet());
  }

  /** The columns printed when none are requested. */
  public List<String> defaults() {
    return defaults;
  }

  /**
   * Resolves the requested columns as {@code rabbitmqctl} takes them: separate arguments, or one
   * argument with commas ({@code name,messages}), or both; empty means the defaults. Order and
   * repetitions are kept as given.
   *
   * @throws CliException ({@link ExitCodes#USAGE}) naming the unknown column and the known ones
   */
  public List<Column> resolve(List<String> requested) {
    List<Column> columns = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (requested != null) {
      for (String argument : requested) {
        for (String name : argument.split(",")) {
          if (!name.isBlank()) {
            names.add(name.strip());
          }
        }
      }
    }
    if (names.isEmpty()) {
      names = defaults;
    }
    for (String name : names) {
      Column column = known.get(name);
      if (column == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "unknown column '"
                + name
                + "' for "
                + command
                + "; known columns: "
                + String.join(", ", known.keySet()));
      }
      columns.add(column);
    }
    return columns;
  }
}
