package io.warrenmq.server.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.TestCertificates;
import io.warrenmq.server.TlsConfig;
import io.warrenmq.server.WarrenServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ's tutorials (https://www.rabbitmq.com/tutorials) run by a real client in another
 * language, unchanged, against a WarrenMQ server on an ephemeral port: each test runs one script of
 * the client ({@code src/test/python/*.py}, {@code src/test/node/*.js}; one per tutorial, plus
 * heartbeats, a refused login and TLS) and compares every line it printed with the expected output.
 *
 * <p>The expected lines are what the same scripts print against RabbitMQ 3.x on 127.0.0.1:5672 (the
 * reference; each script takes the port as its first argument, 5672 by default, and was run against
 * both). They are the same for every client, except for the heartbeat and login lines, where each
 * client reports in its own terms. After a script has exited, the server holds no connection of it.
 *
 * <p>The TLS scenarios ({@code tls_*} scripts; port 5671 by default, then PEM files) run against an
 * {@code amqps}-only listener set up as RabbitMQ's TLS guide sets one up
 * (https://www.rabbitmq.com/docs/ssl, "Enabling TLS Support in RabbitMQ", "Peer Verification"):
 * {@code ssl_options.cacertfile}, {@code certfile} and {@code keyfile} from {@link
 * TestCertificates} (made with the JDK's keytool and written as PEM, no OpenSSL), with {@code
 * verify_none}, or {@code verify_peer} and {@code fail_if_no_peer_cert = true}. The scripts stay
 * close to the clients' documented TLS examples: pika's "TLS parameters example"
 * (https://pika.readthedocs.io/en/stable/examples/tls_mutual_authentication.html and
 * tls_server_authentication.html: an {@code ssl.SSLContext} from {@code
 * ssl.create_default_context(cafile=...)}, {@code load_cert_chain}, {@code pika.SSLOptions}) and
 * amqplib's SSL guide (https://amqp-node.github.io/amqplib/ssl.html, {@code examples/ssl.js}: an
 * {@code amqps://} URL with socket options {@code ca}, {@code cert}, {@code key}). Both verify the
 * server's certificate and its name, {@code localhost}.
 *
 * <p>The reference RabbitMQ on 5672 has no TLS listener, so the TLS lines were not read from it;
 * they are what the guide says a client sees, in the client's own terms. Against a RabbitMQ set up
 * with the same files they are the same but for one: a client without a certificate gets the alert
 * the server sends, RabbitMQ's {@code certificate_required} (TLS 1.3), where WarrenMQ sends what
 * its JDK sends ({@link #alertForAMissingClientCertificate}). To send the chain RabbitMQ sends
 * (Erlang completes {@code certfile} from {@code cacertfile}), the server's {@code certfile} here
 * holds the CA's certificate after its own, so a client that does not trust the CA reports a
 * self-signed certificate in the chain, as it would against RabbitMQ.
 *
 * <p>A subclass per client supplies how to run its scripts ({@link #run}) and, when the client is
 * not installed, why ({@link #unavailable}): then every test is skipped with that reason, or fails
 * when {@value ClientScript#REQUIRED} is {@code true} ({@link ClientScript#requireClient}).
 */
@Timeout(120)
abstract class RabbitMqTutorials {
  @TempDir static Path pki;
  private static TestCertificates certificates;

  private Broker broker;
  private WarrenServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certificates = TestCertificates.create(pki);
  }

  @BeforeEach
  void requireClient() {
    ClientScript.requireClient(client(), unavailable());
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
      broker.close();
    }
  }

  private void start(ServerConfig config) {
    broker = new Broker(BrokerConfig.named("tutorials"));
    server = WarrenServer.start(broker, config);
  }

  /** Starts a server with only an {@code amqps} listener, on an ephemeral port of 127.0.0.1. */
  private void startTls(TlsConfig tls) {
    start(ServerConfig.defaults().withoutTcpListener().withTlsListener("127.0.0.1", 0, tls));
  }

  /**
   * RabbitMQ's server side of TLS: {@code ssl_options.cacertfile}, {@code certfile}, {@code
   * keyfile}. The certificate file holds the CA's certificate after the server's, so that the
   * server sends the chain RabbitMQ would send (Erlang completes it from {@code cacertfile}).
   */
  private static TlsConfig.Builder sslOptions() {
    return TlsConfig.builder()
        .caCertFile(certificates.caPem)
        .certFile(certificates.serverChainPem)
        .keyFile(certificates.serverKeyPem);
  }

  /**
   * A TLS alert as OpenSSL, under both clients, names it.
   *
   * @param number the alert's number (RFC 8446 section 6)
   * @param openSsl OpenSSL's text for it, e.g. {@code sslv3 alert bad certificate}
   */
  record Alert(int number, String openSsl) {
    /** OpenSSL's reason code, e.g. {@code SSLV3_ALERT_BAD_CERTIFICATE}. */
    String reason() {
      return openSsl.toUpperCase(Locale.ROOT).replace(' ', '_');
    }
  }

  /**
   * The alert the server sends, under TLS 1.3, to a client that sent no certificate when one is
   * required, as a JDK client receives it. It is the JDK's choice, not ours: Java 17 (17.0.15 at
   * least) sends {@code bad_certificate}; JDKs with JDK-8311644 (22 and later, and updates of older
   * ones) send {@code certificate_required}, as RabbitMQ (Erlang/OTP) does.
   */
  private Alert alertForAMissingClientCertificate() throws Exception {
    SSLContext context = certificates.clientWithoutCertificate();
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.tlsPort())) {
      socket.setSoTimeout(10_000);
      socket.startHandshake(); // TLS 1.3: over before the server has read the empty Certificate
      socket.getInputStream().read();
      throw new AssertionError("the server accepted a client without a certificate");
    } catch (SSLException e) {
      String message = String.valueOf(e.getMessage());
      if (message.endsWith("Received fatal alert: bad_certificate")) {
        return new Alert(42, "sslv3 alert bad certificate");
      }
      if (message.endsWith("Received fatal alert: certificate_required")) {
        return new Alert(116, "tlsv13 alert certificate required");
      }
      throw new AssertionError("unexpected TLS failure for a missing client certificate", e);
    }
  }

  /** The client's name in messages, e.g. {@code pika}. */
  abstract String client();

  /** Why the client cannot run on this machine (what to install), or null when it can. */
  abstract String unavailable();

  /**
   * Runs the client's script for {@code scenario} (its file name without extension) with {@code
   * arguments} (the broker's port on 127.0.0.1 first) and returns what it printed.
   */
  abstract ClientScript.Run run(String scenario, List<String> arguments) throws Exception;

  /** What the client's {@code heartbeats} script prints (each client reports differently). */
  abstract List<String> heartbeatsOutput();

  /** What the client's {@code refused_login} script prints: its own error with the 403 reply. */
  abstract List<String> refusedLoginOutput();

  /**
   * What the client's {@code tls_client_certificate} script prints when the server requires a
   * client certificate: connected with one, then its own error, carrying the server's {@code
   * alert}, for the connection without one.
   */
  abstract List<String> clientCertificateOutput(Alert alert);

  /**
   * What the client's {@code tls_untrusted_server} script prints: its own certificate verification
   * error for a server certificate that no CA it trusts signed.
   */
  abstract List<String> untrustedServerOutput();

  /** Runs the scenario against a plain AMQP server on an ephemeral port. */
  private void assertOutput(String scenario, List<String> expected) throws Exception {
    start(ServerConfig.defaults());
    assertOutput(scenario, List.of(String.valueOf(server.port())), expected);
  }

  /** Runs the scenario against the server started, with {@code arguments}. */
  private void assertOutput(String scenario, List<String> arguments, List<String> expected)
      throws Exception {
    ClientScript.Run run = run(scenario, arguments);
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

  // ---- TLS (https://www.rabbitmq.com/docs/ssl) -------------------------------------------------

  @Test
  void tlsClientVerifiesTheServerCertificateAgainstTheCaThenPublishesAndConsumes()
      throws Exception {
    startTls(sslOptions().build());
    assertOutput(
        "tls_publish_consume",
        List.of(String.valueOf(server.tlsPort()), certificates.caPem.toString()),
        List.of(
            "connected over TLSv1.3, server certificate CN=localhost verified against the CA",
            "consumed: Hello over TLS 1 | Hello over TLS 2 | Hello over TLS 3",
            "a 1048576-byte message came back intact: true",
            "done"));
  }

  @Test
  void aRequiredClientCertificateAdmitsTheClientThatPresentsOneAndRefusesTheOneWithout()
      throws Exception {
    startTls(sslOptions().verifyPeer(true).failIfNoPeerCert(true).build());
    TestCertificates pem = certificates;
    assertOutput(
        "tls_client_certificate",
        List.of(
            String.valueOf(server.tlsPort()),
            pem.caPem.toString(),
            pem.clientCertPem.toString(),
            pem.clientKeyPem.toString()),
        clientCertificateOutput(alertForAMissingClientCertificate()));
  }

  @Test
  void aClientThatDoesNotTrustTheServersCaRefusesItsCertificate() throws Exception {
    startTls(sslOptions().build());
    assertOutput(
        "tls_untrusted_server", List.of(String.valueOf(server.tlsPort())), untrustedServerOutput());
  }
}
