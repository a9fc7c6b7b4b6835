/**
 * warrenctl, WarrenMQ's command line in the manner of {@code rabbitmqctl} and {@code
 * rabbitmqadmin}: it talks only to a RabbitMQ-compatible management HTTP API (WarrenMQ's own or
 * RabbitMQ's), through the JDK's {@code java.net.http} client, with picocli for the command line
 * and Jackson for JSON. Only {@code io.warrenmq.cli} ({@link io.warrenmq.cli.Warrenctl}) is
 * exported; the commands, the HTTP client and the output formatters stay in {@code
 * io.warrenmq.cli.internal}.
 */
module io.warrenmq.cli {
  requires java.net.http;
  requires transitive info.picocli;
  requires com.fasterxml.jackson.databind;

  exports io.warrenmq.cli;

  // picocli sets the commands' annotated fields reflectively
  opens io.warrenmq.cli.internal to
      info.picocli;
}
