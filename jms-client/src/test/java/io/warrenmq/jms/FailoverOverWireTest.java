package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.QueueInfo;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.store.jdbc.JdbcMessageStore;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.XASession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic reconnection of the wire transport (issue 17): a list of brokers or {@code
 * reconnectAttempts}, against real WarrenMQ servers in this JVM on ephemeral ports. A broker "dies"
 * by its server closing (320 CONNECTION_FORCED to every client, then no listener) or by a {@link
 * TcpProxy} in front of it dropping the sockets without a word; the in-VM broker behind keeps its
 * queues, as a restarted broker with a durable store would.
 */
@Timeout(60)
class FailoverOverWireTest {
  private static final String FAST = "reconnectDelay=10&maxReconnectDelay=100";

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    // connections first, so that none starts reconnecting to a server closed under it
    toClose.sort(java.util.Comparator.comparing(c -> c instanceof Connection ? 1 : 0));
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private Broker broker() {
    Broker b = new Broker(new BrokerConfig("failover-" + UUID.randomUUID(), 2));
    toClose.add(b);
    return b;
  }

  private WarrenServer serve(Broker broker, int port) {
    WarrenServer s =
        WarrenServer.start(broker, ServerConfig.defaults().withListener("127.0.0.1", port));
    toClose.add(s);
    return s;
  }

  private TcpProxy proxy(WarrenServer server) throws Exception {
    TcpProxy p = new TcpProxy(server.port());
    toClose.add(p);
    return p;
  }

  private Connection connect(String url) throws JMSException {
    Connection c = WarrenConnectionFactory.forUrl(url).createConnection();
    toClose.add(c);
    return c;
  }

  /** A connection through {@code proxy} that reconnects without a limit, 10-100 ms apart. */
  private WarrenConnection reconnectingThrough(TcpProxy proxy) throws JMSException {
    return (WarrenConnection)
        connect("amqp://guest:guest@127.0.0.1:" + proxy.port() + "?reconnectAttempts=-1&" + FAST);
  }

  private static long depth(Broker broker, String queue) {
    QueueInfo q = broker.queue("/", queue).orElseThrow();
    return q.messagesReady() + q.messagesUnacknowledged();
  }

  private static void awaitDepth(Broker broker, String queue, long depth) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (depth(broker, queue) != depth && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(depth, depth(broker, queue), queue);
  }

  /** An XA session's producer on a fresh queue, through a proxy to a new broker. */
  private record XaProducer(
      Broker broker,
      TcpProxy proxy,
      WarrenConnection connection,
      XASession session,
      Queue queue,
      MessageProducer producer) {}

  private XaProducer xaProducerThroughProxy() throws Exception {
    Broker broker = broker();
    TcpProxy proxy = proxy(serve(broker, 0));
    WarrenConnection c = reconnectingThrough(proxy);
    XASession xs = c.createXASession();
    Queue q = xs.getSession().createQueue("xa-" + UUID.randomUUID());
    return new XaProducer(broker, proxy, c, xs, q, xs.getSession().createProducer(q));
  }

  /** Waits until the proxy relayed a new connection, then until the JMS connection is usable. */
  private static void awaitReconnected(TcpProxy proxy, int acceptedBefore, Connection c)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (proxy.accepted() <= acceptedBefore) {
      assertTrue(System.nanoTime() < deadline, "no reconnection through the proxy");
      Thread.sleep(5);
    }
    c.createSession().close(); // waits for the reconnection to finish
  }

  private static String text(Message m) throws JMSException {
    return m == null ? null : ((TextMessage) m).getText();
  }

  @Test
  void consumerAndProducerCarryOnWhenTheServerRestartsOnItsPort() throws Exception {
    Broker broker = broker();
    WarrenServer server = serve(broker, 0);
    int port = server.port();
    Connection c =
        connect("amqp://guest:guest@127.0.0.1:" + port + "?reconnectAttempts=200&" + FAST);
    AtomicReference<JMSException> heard = new AtomicReference<>();
    c.setExceptionListener(heard::set);
    Session s = c.createSession();
    Queue q = s.createQueue("restart-" + UUID.randomUUID());
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    s.createConsumer(q).setMessageListener(m -> got.add(textUnchecked(m)));
    c.start();
    MessageProducer p = c.createSession().createProducer(q);
    p.send(s.createTextMessage("before"));
    assertEquals("before", got.poll(10, TimeUnit.SECONDS));
    awaitDepth(broker, q.getQueueName(), 0); // acknowledged before the server goes

    server.close();
    serve(broker, port);

    p.send(s.createTextMessage("after")); // waits for the reconnection, then goes to the new one
    assertEquals("after", got.poll(10, TimeUnit.SECONDS));
    assertNull(heard.get(), "the ExceptionListener hears only when reconnection gives up");
  }

  @Test
  void failsOverToTheNextBrokerOfTheList() throws Exception {
    Broker first = broker();
    Broker second = broker();
    WarrenServer one = serve(first, 0);
    WarrenServer two = serve(second, 0);
    Connection c =
        connect(
            "amqp://guest:guest@127.0.0.1:" + one.port() + ",127.0.0.1:" + two.port() + "?" + FAST);
    Session s = c.createSession();
    String name = "list-" + UUID.randomUUID();
    Queue q = s.createQueue(name);
    MessageConsumer consumer = s.createConsumer(q);
    MessageProducer p = s.createProducer(q);
    c.start();
    p.send(s.createTextMessage("on the first"));
    assertEquals("on the first", text(consumer.receive(5000)));

    one.close();
    first.close();

    p.send(s.createTextMessage("on the second"));
    assertEquals("on the second", text(consumer.receive(5000)));
    assertTrue(second.queue("/", name).isPresent(), "the queue was declared on the second broker");
    assertEquals(1, second.queue("/", name).orElseThrow().consumers(), "consumer re-created");
  }

  @Test
  void theFirstConnectionTriesEachBrokerOfTheListOnce() throws Exception {
    Broker broker = broker();
    WarrenServer server = serve(broker, 0);
    TcpProxy down = new TcpProxy(server.port());
    toClose.add(down);
    down.refuse();
    Connection c =
        connect(
            "amqp://guest:guest@127.0.0.1:"
                + down.port()
                + ",127.0.0.1:"
                + server.port()
                + "?"
                + FAST);
    Session s = c.createSession();
    Queue q = s.createQueue("first-" + UUID.randomUUID());
    s.createProducer(q).send(s.createTextMessage("x"));
    assertEquals(1, down.accepted());
    assertEquals(1, depth(broker, q.getQueueName()));
  }

  @Test
  void aDurableSubscriptionResumesWhereItWas() throws Exception {
    Broker broker = broker();
    TcpProxy proxy = proxy(serve(broker, 0));
    String clientId = "dur-" + UUID.randomUUID();
    Connection c =
        connect(
            "amqp://guest:guest@127.0.0.1:"
                + proxy.port()
                + "?clientID="
                + clientId
                + "&reconnectAttempts=-1&"
                + FAST);
    Session s = c.createSession();
    Topic t = s.createTopic("prices-" + UUID.randomUUID());
    MessageConsumer sub = s.createDurableSubscriber(t, "sub");
    c.start();
    s.createProducer(t).send(s.createTextMessage("1"));
    assertEquals("1", text(sub.receive(5000)));
    // its ack has reached the broker (else "1" would rightly come again, redelivered)
    awaitDepth(broker, "jms.sub." + clientId + ".sub", 0);

    proxy.refuse(); // the broker is unreachable
    // messages published while the subscriber is away, by another client of the same broker
    WarrenConnectionFactory inVm = new WarrenConnectionFactory(broker);
    try (Connection other = inVm.createConnection()) {
      Session os = other.createSession();
      MessageProducer op = os.createProducer(os.createTopic(t.getTopicName()));
      op.send(os.createTextMessage("2"));
      op.send(os.createTextMessage("3"));
    }
    int before = proxy.accepted();
    proxy.forward();
    awaitReconnected(proxy, before, c);

    assertEquals("2", text(sub.receive(5000)));
    assertEquals("3", text(sub.receive(5000)));
    assertNull(sub.receive(200));
  }

  @Test
  void aDurableSubscriptionResumesAfterTheBrokerRestartsFromItsStoreOnTheSamePort(
      @TempDir Path dataDir) throws Exception {
    BrokerConfig config = BrokerConfig.named("failover-durable-" + UUID.randomUUID());
    Broker broker =
        new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name()));
    toClose.add(broker);
    WarrenServer server = serve(broker, 0);
    int port = server.port();
    String clientId = "restart-" + UUID.randomUUID();
    Connection c =
        connect(
            "amqp://guest:guest@127.0.0.1:"
                + port
                + "?clientID="
                + clientId
                + "&reconnectAttempts=-1&"
                + FAST);
    Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
    Topic t = s.createTopic("restart-" + UUID.randomUUID());
    MessageConsumer sub = s.createDurableSubscriber(t, "sub");
    c.start();
    s.createProducer(t).send(s.createTextMessage("1"));
    Message one = sub.receive(5000);
    assertEquals("1", text(one));
    one.acknowledge();
    awaitDepth(broker, "jms.sub." + clientId + ".sub", 0);

    server.close(); // the process "dies": its clients are disconnected
    broker.close();
    Broker again =
        new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name()));
    toClose.add(again);
    // published on the restarted broker before its listener is back
    try (Connection other = new WarrenConnectionFactory(again).createConnection()) {
      Session os = other.createSession();
      MessageProducer op = os.createProducer(os.createTopic(t.getTopicName()));
      op.send(os.createTextMessage("2"));
      op.send(os.createTextMessage("3"));
    }
    serve(again, port);

    assertEquals("2", text(sub.receive(10_000)));
    Message three = sub.receive(5000);
    assertEquals("3", text(three));
    three.acknowledge();
    assertNull(sub.receive(200));
  }

  @Test
  void aTransactedCommitAfterADropThrowsTransactionRolledBackAndTheMessagesComeBack()
      throws Exception {
    Broker broker = broker();
    TcpProxy proxy = proxy(serve(broker, 0));
    Connection c = reconnectingThrough(proxy);
    Session tx = c.createSession(Session.SESSION_TRANSACTED);
    Queue in = tx.createQueue("tx-in-" + UUID.randomUUID());
    Queue out = tx.createQueue("tx-out-" + UUID.randomUUID());
    MessageProducer feed = tx.createProducer(in);
    feed.send(tx.createTextMessage("a"));
    feed.send(tx.createTextMessage("b"));
    tx.commit();
    MessageConsumer consumer = tx.createConsumer(in);
    MessageProducer producer = tx.createProducer(out);
    c.start();
    assertEquals("a", text(consumer.receive(5000)));
    assertEquals("b", text(consumer.receive(5000)));
    producer.send(tx.createTextMessage("lost"));

    int before = proxy.accepted();
    proxy.cut();
    awaitReconnected(proxy, before, c);

    assertThrows(TransactionRolledBackException.class, tx::commit);
    Message a = consumer.receive(5000);
    Message b = consumer.receive(5000);
    assertEquals("a", text(a));
    assertEquals("b", text(b));
    assertTrue(a.getJMSRedelivered() && b.getJMSRedelivered());
    tx.commit(); // a new transaction commits as usual
    assertEquals(0, depth(broker, out.getQueueName()), "the rolled-back send never arrived");
    assertEquals(0, depth(broker, in.getQueueName()));
  }

  @Test
  void acknowledgingAMessageOfTheLostConnectionAcknowledgesNothingAndItComesBack()
      throws Exception {
    Broker broker = broker();
    TcpProxy proxy = proxy(serve(broker, 0));
    Connection c = reconnectingThrough(proxy);
    Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
    Queue q = s.createQueue("ack-" + UUID.randomUUID());
    MessageProducer p = s.createProducer(q);
    p.send(s.createTextMessage("m1"));
    p.send(s.createTextMessage("m2"));
    MessageConsumer consumer = s.createConsumer(q);
    c.start();
    Message m1 = consumer.receive(5000);
    assertEquals("m1", text(m1));
    assertFalse(m1.getJMSRedelivered());

    int before = proxy.accepted();
    proxy.cut();
    awaitReconnected(proxy, before, c);
    // tags restart at 1 on the new channel: m1's old tag 1 must not settle what it now names
    m1.acknowledge();

    Message again = consumer.receive(5000);
    assertEquals("m1", text(again));
    assertTrue(again.getJMSRedelivered());
    assertEquals("m2", text(consumer.receive(5000)), "m2's stale prefetched copy is dropped");
    assertNull(consumer.receive(200));
    assertEquals(2, depth(broker, q.getQueueName()), "nothing acknowledged");
    again.acknowledge();
    awaitDepth(broker, q.getQueueName(), 0);
  }

  @Test
  void aPersistentSendInFlightWhenTheConnectionDropsThrowsAndIsNotSentAgain() throws Exception {
    Broker broker = broker();
    TcpProxy proxy = proxy(serve(broker, 0));
    Connection c = reconnectingThrough(proxy);
    Session s = c.createSession();
    Queue q = s.createQueue("inflight-" + UUID.randomUUID());
    MessageProducer p = s.createProducer(q);
    p.setDeliveryMode(DeliveryMode.PERSISTENT);
    p.send(s.createTextMessage("declared")); // declares the queue
    assertEquals(1, depth(broker, q.getQueueName()));

    proxy.holdReplies(true); // the broker gets the publish, the client not its confirm
    CompletableFuture<Void> send =
        CompletableFuture.runAsync(
            () -> {
              try {
                p.send(s.createTextMessage("in flight"));
              } catch (JMSException e) {
                throw new IllegalStateException(e);
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (depth(broker, q.getQueueName()) < 2) {
      assertTrue(System.nanoTime() < deadline, "the publish did not reach the broker");
      Thread.sleep(5);
    }
    assertFalse(send.isDone(), "the send waits for its confirm");
    int before = proxy.accepted();
    proxy.cut();
    proxy.holdReplies(false);

    ExecutionException e =
        assertThrows(ExecutionException.class, () -> send.get(10, TimeUnit.SECONDS));
    JMSException cause = assertInstanceOf(JMSException.class, e.getCause().getCause());
    assertTrue(cause.getMessage().contains("may or may not have stored"), cause.getMessage());

    awaitReconnected(proxy, before, c);
    p.send(s.createTextMessage("next")); // the session goes on
    assertEquals(3, depth(broker, q.getQueueName()), "stored once, not sent again");
  }

  @Test
  void anAsynchronousSendInFlightWhenTheConnectionDropsCompletesWithAnException() throws Exception {
    Broker broker = broker();
    TcpProxy proxy = proxy(serve(broker, 0));
    Connection c = reconnectingThrough(proxy);
    Session s = c.createSession();
    Queue q = s.createQueue("async-" + UUID.randomUUID());
    MessageProducer p = s.createProducer(q);
    p.send(s.createTextMessage("declared"));
    proxy.holdReplies(true);
    CompletableFuture<Exception> outcome = new CompletableFuture<>();
    p.send(
        s.createTextMessage("in flight"),
        new jakarta.jms.CompletionListener() {
          @Override
          public void onCompletion(Message message) {
            outcome.complete(null);
          }

          @Override
          public void onException(Message message, Exception exception) {
            outcome.complete(exception);
          }
        });
    awaitDepth(broker, q.getQueueName(), 2);
    int before = proxy.accepted();
    proxy.cut();
    proxy.holdReplies(false);
    assertNotNull(outcome.get(10, TimeUnit.SECONDS), "onException, not onCompletion");

    awaitReconnected(proxy, before, c);
    CompletableFuture<Exception> next = new CompletableFuture<>();
    p.send(
        s.createTextMessage("after"),
        new jakarta.jms.CompletionListener() {
          @Override
          public void onCompletion(Message message) {
            next.complete(null);
          }

          @Override
          public void onException(Message message, Exception exception) {
            next.complete(exception);
          }
        });
    assertNull(next.get(10, TimeUnit.SECONDS), "sequence numbers go on across the reconnect");
    assertEquals(3, depth(broker, q.getQueueName()), "the one in flight was not sent again");
  }

  @Test
  void whenEveryBrokerIsDownTheExceptionListenerHearsAfterTheBoundedAttempts() throws Exception {
    Broker broker = broker();
    WarrenServer server = serve(broker, 0);
    TcpProxy a = proxy(server);
    TcpProxy b = proxy(server);
    Connection c =
        connect(
            "amqp://guest:guest@127.0.0.1:"
                + a.port()
                + ",127.0.0.1:"
                + b.port()
                + "?reconnectAttempts=5&reconnectDelay=1&maxReconnectDelay=8");
    BlockingQueue<JMSException> heard = new LinkedBlockingQueue<>();
    c.setExceptionListener(heard::add);
    Session s = c.createSession();
    Queue q = s.createQueue("down-" + UUID.randomUUID());
    s.createProducer(q).send(s.createTextMessage("x"));
    int acceptedBefore = a.accepted() + b.accepted();
    b.refuse();
    a.refuse();

    JMSException e = heard.poll(20, TimeUnit.SECONDS);
    assertNotNull(e, "ExceptionListener not called");
    assertEquals(5, a.accepted() + b.accepted() - acceptedBefore, "attempts made");
    assertTrue(a.accepted() >= 3 && b.accepted() >= 2, "attempts alternate over the list");
    String m = e.getMessage();
    assertTrue(m.contains("127.0.0.1:" + a.port()) && m.contains("127.0.0.1:" + b.port()), m);
    assertTrue(m.contains("gave up") && m.contains("5 attempts"), m);
    assertFalse(m.contains(":guest@"), "no password: " + m);
    assertNull(heard.poll(100, TimeUnit.MILLISECONDS), "told once");
    assertThrows(JMSException.class, () -> s.createProducer(q).send(s.createTextMessage("y")));
  }

  @Test
  void anXaBranchAssociatedAtTheLossIsRolledBackAndOneEndedBeforeCommits() throws Exception {
    XaProducer x = xaProducerThroughProxy();
    Broker broker = x.broker();
    TcpProxy proxy = x.proxy();
    WarrenConnection c = x.connection();
    XASession xs = x.session();
    XAResource xr = xs.getXAResource();
    Queue q = x.queue();
    MessageProducer p = x.producer();
    Xid ended = XaSessionTest.xid();
    xr.start(ended, XAResource.TMNOFLAGS);
    p.send(xs.getSession().createTextMessage("ended before the loss"));
    xr.end(ended, XAResource.TMSUCCESS);
    Xid open = XaSessionTest.xid();
    xr.start(open, XAResource.TMNOFLAGS);
    p.send(xs.getSession().createTextMessage("associated at the loss"));

    int before = proxy.accepted();
    proxy.cut();
    awaitReconnected(proxy, before, c);
    // Sent after the loss and before the end: on the new connection it would not be in the branch.
    assertThrows(
        JMSException.class, () -> p.send(xs.getSession().createTextMessage("sent after the loss")));

    XAException e = assertThrows(XAException.class, () -> xr.end(open, XAResource.TMSUCCESS));
    assertEquals(XAException.XA_RBCOMMFAIL, e.errorCode);
    xr.rollback(open);
    assertEquals(XAResource.XA_OK, xr.prepare(ended));
    xr.commit(ended, false);
    Session s = c.createSession();
    MessageConsumer consumer = s.createConsumer(q);
    c.start();
    assertEquals("ended before the loss", text(consumer.receive(5000)));
    assertNull(
        consumer.receive(200),
        "the branch associated at the loss was rolled back, and nothing sent in it after the loss"
            + " went out");
  }

  /**
   * As {@link #anXaBranchAssociatedAtTheLossIsRolledBackAndOneEndedBeforeCommits}, with the broker
   * down for a while: reconnection attempts fail before one succeeds (a SIGKILLed live broker whose
   * backup takes over seconds later). Each failed attempt must not forget that the session's branch
   * was lost: a send made after the reconnection, before the branch's end, would go out on the new
   * connection outside any branch, and be delivered although the transaction rolls back (issue 19's
   * SharedStoreHaIT recorded an order twice that way).
   */
  @Test
  void anXaBranchAssociatedAtTheLossStaysLostAcrossFailedReconnectionAttempts() throws Exception {
    XaProducer x = xaProducerThroughProxy();
    XAResource xr = x.session().getXAResource();
    Xid open = XaSessionTest.xid();
    xr.start(open, XAResource.TMNOFLAGS);
    x.producer().send(x.session().createTextMessage("associated at the loss"));

    int before = x.proxy().accepted();
    x.proxy().refuse();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (x.proxy().accepted() < before + 3) {
      assertTrue(System.nanoTime() < deadline, "no reconnection attempts through the proxy");
      Thread.sleep(5);
    }
    int refused = x.proxy().accepted();
    x.proxy().forward();
    awaitReconnected(x.proxy(), refused, x.connection());
    assertThrows(
        JMSException.class,
        () -> x.producer().send(x.session().createTextMessage("sent after the loss")));

    XAException e = assertThrows(XAException.class, () -> xr.end(open, XAResource.TMSUCCESS));
    assertEquals(XAException.XA_RBCOMMFAIL, e.errorCode);
    xr.rollback(open);
    MessageConsumer consumer = x.connection().createSession().createConsumer(x.queue());
    x.connection().start();
    assertNull(
        consumer.receive(500),
        "nothing of the branch lost with the connection went out, before or after the reconnection");
    assertEquals(0, depth(x.broker(), x.queue().getQueueName()));
  }

  /**
   * The resource adapter's transacted delivery (a client-acknowledge XA session): a message
   * received on the lost connection and acknowledged in a branch started on the new one. Dropping
   * that acknowledgement would commit the branch's other work (the MDB's record of the message)
   * while the broker delivers the message again: the same message processed twice inside committed
   * transactions (issue 19's SharedStoreHaIT).
   */
  @Test
  void aMessageOfTheLostConnectionAcknowledgedInAnXaBranchRollsTheBranchBack() throws Exception {
    Broker broker = broker();
    TcpProxy proxy = proxy(serve(broker, 0));
    WarrenConnection c = reconnectingThrough(proxy);
    WarrenXASession xs = c.createIndividualAcknowledgeXASession();
    XAResource xr = xs.getXAResource();
    Session s = xs.getSession();
    Queue orders = s.createQueue("xa-orders-" + UUID.randomUUID());
    Queue records = s.createQueue("xa-records-" + UUID.randomUUID());
    s.createProducer(orders).send(s.createTextMessage("order"));
    MessageConsumer consumer = s.createConsumer(orders);
    MessageProducer recorder = s.createProducer(records);
    c.start();
    Message order = consumer.receive(5000);
    assertEquals("order", text(order));

    int before = proxy.accepted();
    proxy.cut();
    awaitReconnected(proxy, before, c);

    Xid xid = XaSessionTest.xid();
    xr.start(xid, XAResource.TMNOFLAGS);
    JMSException ack = assertThrows(JMSException.class, order::acknowledge);
    assertTrue(ack.getMessage().contains("lost"), ack.getMessage());
    recorder.send(s.createTextMessage("record of the order")); // the application carries on
    XAException end = assertThrows(XAException.class, () -> xr.end(xid, XAResource.TMSUCCESS));
    assertEquals(XAException.XA_RBROLLBACK, end.errorCode);
    assertTrue(end.getMessage().contains("rollback-only"), end.getMessage());
    // a transaction manager that tried anyway: the broker refuses, the branch is rollback-only
    XAException commit = assertThrows(XAException.class, () -> xr.commit(xid, true));
    assertTrue(
        commit.errorCode >= XAException.XA_RBBASE && commit.errorCode <= XAException.XA_RBEND,
        "one-phase commit of the doomed branch: " + commit.errorCode);

    Message again = consumer.receive(5000);
    assertEquals("order", text(again));
    assertTrue(again.getJMSRedelivered());
    assertEquals(0, depth(broker, records.getQueueName()), "the record was rolled back");
    Xid next = XaSessionTest.xid();
    xr.start(next, XAResource.TMNOFLAGS);
    again.acknowledge();
    recorder.send(s.createTextMessage("record of the order"));
    xr.end(next, XAResource.TMSUCCESS);
    xr.commit(next, true);
    awaitDepth(broker, orders.getQueueName(), 0);
    assertEquals(1, depth(broker, records.getQueueName()), "one record for the one order");
  }

  @Test
  void theFactorySetsTheReconnectionOfAOneBrokerUrl() throws Exception {
    TcpProxy proxy = proxy(serve(broker(), 0));
    Connection c =
        WarrenConnectionFactory.forUrl("amqp://guest:guest@127.0.0.1:" + proxy.port())
            .withReconnect(3, 1, 4)
            .createConnection();
    toClose.add(c);
    BlockingQueue<JMSException> heard = new LinkedBlockingQueue<>();
    c.setExceptionListener(heard::add);
    c.createSession().close();
    int before = proxy.accepted();
    proxy.refuse();
    JMSException e = heard.poll(20, TimeUnit.SECONDS);
    assertNotNull(e);
    assertEquals(3, proxy.accepted() - before, "attempts to the one broker");
    assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> new WarrenConnectionFactory(broker()).withReconnect(3, 1, 4));
  }

  private static String textUnchecked(Message m) {
    try {
      return text(m);
    } catch (JMSException e) {
      throw new IllegalStateException(e);
    }
  }
}
