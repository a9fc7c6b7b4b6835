package io.warrenmq.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableSpecTest {
  private static List<String> names(List<Column> columns) {
    return columns.stream().map(Column::name).toList();
  }

  @Test
  void noColumnsMeansRabbitmqctlDefaults() {
    assertEquals(List.of("name", "messages"), names(ListCommands.QUEUES.resolve(List.of())));
    assertEquals(List.of("name", "messages"), names(ListCommands.QUEUES.resolve(null)));
    assertEquals(List.of("name", "type"), names(ListCommands.EXCHANGES.resolve(List.of())));
    assertEquals(
        List.of("user", "configure", "write", "read"),
        names(ListCommands.PERMISSIONS.resolve(List.of())));
  }

  @Test
  void columnsMayBeSeparateArgumentsOrCommaSeparatedAndKeepTheirOrder() {
    assertEquals(
        List.of("messages_ready", "name", "consumers", "durable"),
        names(
            ListCommands.QUEUES.resolve(List.of("messages_ready,name", "consumers", "durable,"))));
  }

  @Test
  void anUnknownColumnIsAUsageErrorNamingItAndTheKnownOnes() {
    CliException e =
        assertThrows(
            CliException.class, () -> ListCommands.QUEUES.resolve(List.of("name", "mesages")));
    assertEquals(ExitCodes.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("'mesages'"), e.getMessage());
    assertTrue(e.getMessage().contains("messages_unacknowledged"), e.getMessage());
  }

  @Test
  void everyListCommandKnowsItsRabbitmqctlColumns() {
    assertTrue(
        ListCommands.QUEUES
            .names()
            .containsAll(
                List.of(
                    "name",
                    "messages",
                    "messages_ready",
                    "messages_unacknowledged",
                    "consumers",
                    "durable",
                    "auto_delete",
                    "exclusive",
                    "arguments",
                    "memory")));
    assertEquals(
        List.of(
            "source_name",
            "source_kind",
            "destination_name",
            "destination_kind",
            "routing_key",
            "arguments"),
        ListCommands.BINDINGS.defaults());
    assertEquals(List.of("user", "tags"), ListCommands.USERS.defaults());
  }

  @Test
  void aDefaultColumnMustBeKnown() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new TableSpec("x", List.of("missing"), List.of(Column.field("name"))));
  }
}
