package io.warrenmq.server.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RabbitMQ's tutorials (https://www.rabbitmq.com/tutorials) run by a real client in another
 * language, unchanged, against a WarrenMQ server on an ephemeral port: each test runs one script of
 * the client ({@code src/test/python/*.py}, {@code src/test/node/*.js}; one per tutorial, plus
 * heartbeats and a refused login) and compares every line it printed with the expected output.
 *
 * <p>The expected lines are what the same scripts print against RabbitMQ 3.x on 127.0.0.1:5672 (the
 * reference; each script takes the port as its argument, 5672 by default, and was run against
 * both). They are the same for every client, except for the heartbeat and login lines, where each
 * client reports in its own terms. After a script has exited, the server holds no connection of it.
 *
 * <p>A subclass per client supplies how to run its scripts ({@link #run}) and, when the client is
 * not installed, why ({@link #unavailable}): then every test is skipped with that reason, or fails
 * when {@value ClientScript#REQUIRED} is {@code true} ({@link ClientScript#requireClient}).
 */
@Timeout(120)
abstract class RabbitMqTutorials {
  private Broker broker;
  private WarrenServer server;

  @BeforeEach
  void startServer() {
    ClientScript.requireClient(client(), unavailable());
    broker = new Broker(BrokerConfig.named("tutorials"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
      broker.close();
    }
  }

  /** The client's name in messages, e.g. {@code pika}. */
  abstract String client();

  /** Why the client cannot run on this machine (what to install), or null when it can. */
  abstract String unavailable();

  /**
   * Runs the client's script for {@code scenario} (its file name without extension) against
   * 127.0.0.1:{@code port} and returns what it printed.
   */
  abstract ClientScript.Run run(String scenario, int port) throws Exception;

  /** What the client's {@code heartbeats} script prints (each client reports differently). */
  abstract List<String> heartbeatsOutput();

  /** What the client's {@code refused_login} script prints: its own error with the 403 reply. */
  abstract List<String> refusedLoginOutput();

  private void assertOutput(String scenario, List<String> expected) throws Exception {
    ClientScript.Run run = run(scenario, server.port());
    assertEquals(expected, run.stdout(), run::describe);
    assertEquals(0, run.exitCode(), run::describe);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, server.connectionCount(), "connections of " + run.name() + " still open");
  }

  @Test
  void workQueuesGiveTasksToTheFreeWorkerWithPrefetchOneAndRedeliverAnUnackedOne()
      throws Exception {
    assertOutput(
        "work_queues",
        List.of(
            "A received task 1. redelivered=false delivery_mode=2",
            "B received task 2.. redelivered=false delivery_mode=2",
            "B received task 3... redelivered=false delivery_mode=2",
            "B received task 4.... redelivered=false delivery_mode=2",
            "B received task 5..... redelivered=false delivery_mode=2",
            "B received task 6...... redelivered=false delivery_mode=2",
            "A holds 1 unacked task(s)",
            "B received task 1. redelivered=true delivery_mode=2",
            "task_queue: 0 messages, 1 consumer(s)",
            "redeclare as non-durable: 406 PRECONDITION_FAILED - inequivalent arg 'durable' for"
                + " queue 'task_queue' in vhost '/': received 'false' but current is 'true'",
            "done"));
  }

  @Test
  void publishSubscribeFansOutToExclusiveServerNamedQueues() throws Exception {
    assertOutput(
        "publish_subscribe",
        List.of(
            "server-named queue: amq.gen-...",
            "server-named queue: amq.gen-...",
            "the two names differ: true",
            "first subscriber: info: Hello World! | warning: disk 80% full | error: disk full"
                + " | end of logs",
            "second subscriber: info: Hello World! | warning: disk 80% full | error: disk full"
                + " | end of logs",
            "another connection consumes the first queue: 405 RESOURCE_LOCKED - cannot obtain"
                + " exclusive access to locked queue '<first queue>' in vhost '/'. It could be"
                + " originally declared on another connection or the exclusive property value"
                + " does not match that of the original declaration.",
            "after its connection closed: 404 NOT_FOUND - no queue '<first queue>' in vhost '/'",
            "done"));
  }

  @Test
  void routingDeliversByExactBindingKeyToEveryQueueBoundWithIt() throws Exception {
    assertOutput(
        "routing",
        List.of(
            "disk writer (error): error:disk full | error:end of logs",
            "console (info, warning, error): info:Run. Run. Or it will explode."
                + " | warning:disk 80% full | error:disk full | error:end of logs",
            "done"));
  }

  @Test
  void topicsMatchStarAsOneWordAndHashAsZeroOrMoreWords() throws Exception {
    assertOutput(
        "topics",
        List.of(
            "Q1 '*.orange.*': quick.orange.rabbit lazy.orange.elephant quick.orange.fox"
                + " end.orange.rabbit",
            "Q2 '*.*.rabbit' 'lazy.#': quick.orange.rabbit lazy.orange.elephant lazy.brown.fox"
                + " lazy.pink.rabbit lazy.orange.new.rabbit lazy end.orange.rabbit",
            "Q3 '#': quick.orange.rabbit lazy.orange.elephant quick.orange.fox lazy.brown.fox"
                + " lazy.pink.rabbit quick.brown.fox orange quick.orange.new.rabbit"
                + " lazy.orange.new.rabbit lazy quick.orange.male.rabbit (empty)"
                + " end.orange.rabbit",
            "done"));
  }

  @Test
  void rpcRepliesReachTheClientsExclusiveCallbackQueueWithTheCorrelationId() throws Exception {
    assertOutput(
        "rpc_callback_queue",
        List.of(
            "fib(0) = 0",
            "fib(1) = 1",
            "fib(2) = 1",
            "fib(10) = 55",
            "fib(30) = 832040",
            "the server saw reply_to = the callback queue: true",
            "unmatched replies: 0",
            "done"));
  }

  @Test
  void rpcRepliesReachTheClientThroughDirectReplyTo() throws Exception {
    assertOutput(
        "rpc_direct_reply_to",
        List.of(
            "fib(0) = 0",
            "fib(1) = 1",
            "fib(2) = 1",
            "fib(10) = 55",
            "fib(30) = 832040",
            "the server saw reply_to under amq.rabbitmq.reply-to.: true",
            "publish with reply_to without consuming it: 406 PRECONDITION_FAILED - fast reply"
                + " consumer does not exist",
            "done"));
  }

  @Test
  void publisherConfirmsAckEveryPersistentPublishAndFollowAReturnForAnUnroutableOne()
      throws Exception {
    assertOutput(
        "publisher_confirms",
        List.of(
            "100 persistent messages published and confirmed",
            "unroutable mandatory publish: returned 312 NO_ROUTE, body lost",
            "confirms_queue holds 100 messages",
            "consumed in publish order: true",
            "publish to a missing exchange: 404 NOT_FOUND - no exchange 'no-such-exchange' in"
                + " vhost '/'",
            "done"));
  }

  @Test
  void heartbeatsOfOneSecondKeepAnIdleConnectionOpen() throws Exception {
    assertOutput("heartbeats", heartbeatsOutput());
  }

  @Test
  void wrongPasswordIsRefusedWithAccessRefused() throws Exception {
    assertOutput("refused_login", refusedLoginOutput());
  }
}
