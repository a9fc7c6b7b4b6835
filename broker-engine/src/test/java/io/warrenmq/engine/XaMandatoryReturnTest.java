package io.warrenmq.engine;

import static io.warrenmq.engine.AlternateExchangeTest.poll;
import static io.warrenmq.engine.TestSupport.bytes;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.XA_OK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.Return;
import io.warrenmq.engine.TestSupport.Recorder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code mandatory} publishes in an XA branch: routed at prepare (two-phase) or at commit
 * (one-phase), and an unroutable one is returned ({@code basic.return} 312 NO_ROUTE) to the channel
 * that published it when the branch commits, as {@code tx.commit} does (RabbitMQ sends the return
 * when the transaction commits); never before, never after a rollback, and not to a channel that
 * closed meanwhile.
 */
@Timeout(30)
class XaMandatoryReturnTest {
  private Broker broker;
  private Channel ch;
  private Channel tm;
  private final LinkedBlockingQueue<Return> returns = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    Connection conn = broker.newConnection("/", null);
    ch = conn.createChannel();
    tm = conn.createChannel(); // completes branches, as a transaction manager's own resource
    ch.addReturnListener(returns::add);
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueBind("q", "amq.direct", "k", Map.of());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  /** Every callback posted to {@link #ch} before this call has run (a marker delivered to it). */
  private void awaitChannelCallbacks() {
    ch.queueDeclare(QueueSpec.durable("marker"));
    Recorder r = new Recorder();
    String tag = ch.basicConsume("marker", true, "", false, null, r);
    tm.basicPublish("", "marker", false, null, bytes("marker"));
    r.next();
    ch.basicCancel(tag);
  }

  /** Publishes {@code body} with {@code mandatory} to amq.direct in a new branch, ended. */
  private Xid publishInBranch(String name, String routingKey, BasicProperties props, String body)
      throws Exception {
    Xid xid = TestXid.of(name);
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicPublish("amq.direct", routingKey, true, props, bytes(body));
    ch.dtxEnd(xid, TMSUCCESS);
    return xid;
  }

  @Test
  void aTwoPhaseCommitReturnsAnUnroutableMandatoryPublishWith312NoRoute() throws Exception {
    BasicProperties props = BasicProperties.builder().messageId("m-1").build();
    Xid xid = publishInBranch("two-phase", "nobody", props, "lost");
    assertEquals(XA_OK, tm.dtxPrepare(xid));
    awaitChannelCallbacks();
    assertTrue(returns.isEmpty(), "nothing is returned before the commit");

    tm.dtxCommit(xid, false);

    Return r = poll(returns);
    assertEquals(ReplyCode.NO_ROUTE, r.replyCode());
    assertEquals(312, r.replyCode().code());
    assertEquals("NO_ROUTE", r.replyText());
    assertEquals("amq.direct", r.exchange());
    assertEquals("nobody", r.routingKey());
    assertSame(props, r.properties());
    assertArrayEquals(bytes("lost"), r.body());
    awaitChannelCallbacks();
    assertTrue(returns.isEmpty(), "returned once");
  }

  @Test
  void aOnePhaseCommitReturnsAnUnroutableMandatoryPublish() throws Exception {
    Xid xid = publishInBranch("one-phase", "nobody", null, "lost");
    awaitChannelCallbacks();
    assertTrue(returns.isEmpty(), "nothing is returned before the commit");

    tm.dtxCommit(xid, true);

    Return r = poll(returns);
    assertEquals(ReplyCode.NO_ROUTE, r.replyCode());
    assertEquals("nobody", r.routingKey());
    assertEquals("lost", new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void aRolledBackBranchReturnsNothing() throws Exception {
    Xid prepared = publishInBranch("prepared", "nobody", null, "a");
    assertEquals(XA_OK, tm.dtxPrepare(prepared));
    tm.dtxRollback(prepared);
    Xid idle = publishInBranch("idle", "nobody", null, "b");
    tm.dtxRollback(idle);

    awaitChannelCallbacks();

    assertTrue(returns.isEmpty());
  }

  @Test
  void routingIsDecidedAtPrepareSoAQueueBoundLaterDoesNotTakeTheMessage() throws Exception {
    Xid xid = publishInBranch("late-binding", "late", null, "lost");
    assertEquals(XA_OK, tm.dtxPrepare(xid));
    ch.queueBind("q", "amq.direct", "late", Map.of());

    tm.dtxCommit(xid, false);

    assertEquals("late", poll(returns).routingKey());
    assertEquals(0, broker.virtualHost("/").queueMessageCount("q"));
  }

  @Test
  void aRoutedMandatoryPublishIsEnqueuedAndNotReturned() throws Exception {
    Xid xid = publishInBranch("routed", "k", null, "kept");
    assertEquals(XA_OK, tm.dtxPrepare(xid));

    tm.dtxCommit(xid, false);

    awaitChannelCallbacks();
    assertTrue(returns.isEmpty());
    assertEquals("kept", TestSupport.text(ch.basicGet("q", true).delivery()));
  }

  @Test
  void aBranchCommittedAfterItsPublishingChannelClosedReturnsNothingAndCommits() throws Exception {
    Xid xid = publishInBranch("closed", "nobody", null, "lost");
    Xid routed = TestXid.of("closed-routed");
    ch.dtxStart(routed, TMNOFLAGS);
    ch.basicPublish("amq.direct", "k", true, null, bytes("kept"));
    ch.dtxEnd(routed, TMSUCCESS);
    assertEquals(XA_OK, tm.dtxPrepare(xid));
    assertEquals(XA_OK, tm.dtxPrepare(routed));
    ch.close();

    tm.dtxCommit(xid, false);
    tm.dtxCommit(routed, false);

    assertEquals(1, broker.virtualHost("/").queueMessageCount("q"));
    // an absence: a return would have been posted by the commit itself, before it returned
    assertNull(returns.poll(300, TimeUnit.MILLISECONDS));
  }
}
