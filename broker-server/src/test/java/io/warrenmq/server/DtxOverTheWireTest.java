package io.warrenmq.server;

import static javax.transaction.xa.XAException.XAER_DUPID;
import static javax.transaction.xa.XAException.XAER_INVAL;
import static javax.transaction.xa.XAException.XAER_NOTA;
import static javax.transaction.xa.XAException.XAER_PROTO;
import static javax.transaction.xa.XAException.XA_RBROLLBACK;
import static javax.transaction.xa.XAException.XA_RBTIMEOUT;
import static javax.transaction.xa.XAResource.TMENDRSCAN;
import static javax.transaction.xa.XAResource.TMFAIL;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.XA_OK;
import static javax.transaction.xa.XAResource.XA_RDONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.Close;
import io.warrenmq.client.wire.DtxMethods;
import io.warrenmq.client.wire.DtxMethods.WireXid;
import io.warrenmq.client.wire.MethodId;
import io.warrenmq.client.wire.NoArguments;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.store.jdbc.JdbcMessageStore;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * WarrenMQ's XA extension on the wire (class dtx, docs/protocol-dtx.md), driven as a remote {@code
 * XAResource} would drive it ({@link WireXaResource} over {@link RawAmqpClient}) while RabbitMQ's
 * Java client sets queues up and looks at them from outside the branch. Organised by the sections
 * of docs/protocol-dtx.md; the engine's XA state machine itself is covered in broker-engine.
 */
@Timeout(60)
class DtxOverTheWireTest {
  private static final long FRAME_MAX = 131072;

  private Broker broker;
  private WarrenServer server;
  private Connection observer;
  private Channel look;
  private RawAmqpClient client;
  private WireXaResource xa;

  /** Starts a server on an in-memory broker. */
  private void start() throws Exception {
    start(new Broker(BrokerConfig.named("dtx-wire")));
  }

  private void start(Broker b) throws Exception {
    broker = b;
    server = WarrenServer.start(broker, ServerConfig.defaults());
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setAutomaticRecoveryEnabled(false);
    observer = f.newConnection();
    look = observer.createChannel();
    look.confirmSelect();
    client = RawAmqpClient.connect(server.port(), FRAME_MAX);
    client.openChannel(1);
    xa = new WireXaResource(client, 1);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (observer != null && observer.isOpen()) {
      observer.abort();
    }
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  static WireXid xid(String global, String branch) {
    return new WireXid(
        0x5741, global.getBytes(StandardCharsets.UTF_8), branch.getBytes(StandardCharsets.UTF_8));
  }

  interface XaCall {
    void run() throws Exception;
  }

  static XAException assertXa(int code, XaCall call) {
    XAException e = assertThrows(XAException.class, call::run);
    assertEquals(code, e.errorCode, "errorCode of: " + e.getMessage());
    return e;
  }

  /** Publishes to {@code queue} through the default exchange and waits for the confirm. */
  private void put(String queue, String body, boolean persistent) throws Exception {
    look.basicPublish(
        "",
        queue,
        persistent ? MessageProperties.PERSISTENT_TEXT_PLAIN : null,
        body.getBytes(StandardCharsets.UTF_8));
    look.waitForConfirmsOrDie(10_000);
  }

  private void declare(String... queues) throws IOException {
    for (String q : queues) {
      look.queueDeclare(q, true, false, false, null);
    }
  }

  private int ready(String queue) throws IOException {
    return look.queueDeclarePassive(queue).getMessageCount();
  }

  private static String text(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  /** A branch on channel 1 that acks the head of "in" and publishes {@code body} to "out". */
  private void work(Xid x, String body) throws Exception {
    xa.start(x, TMNOFLAGS);
    long tag = client.get(1, "in");
    assertTrue(tag > 0, "a message in 'in'");
    client.ack(1, tag);
    client.publish(1, "", "out", body, true);
  }

  // ---- capabilities and dtx.select ---------------------------------------------------------

  /**
   * The {@code capabilities} table of the server's {@code connection.start}, as the client saw it.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> capabilities() {
    return (Map<String, Object>) client.serverProperties().get("capabilities");
  }

  @Nested
  class Select {
    @Test
    void serverCapabilitiesAdvertiseWarrenmqDtx() throws Exception {
      start();
      assertEquals(true, capabilities().get("warrenmq.dtx"));
      // RabbitMQ's own client sees it too
      @SuppressWarnings("unchecked")
      Map<String, Object> seen =
          (Map<String, Object>) observer.getServerProperties().get("capabilities");
      assertEquals(true, seen.get("warrenmq.dtx"));
    }

    @Test
    void selectOkNamesOneResourceManagerForEveryChannelOfTheBroker() throws Exception {
      start();
      client.openChannel(2);
      WireXaResource second = new WireXaResource(client, 2);
      assertEquals(xa.resourceManagerId(), second.resourceManagerId());
      assertTrue(xa.isSameRM(second));
      try (Broker other = new Broker(BrokerConfig.named("dtx-other"));
          WarrenServer otherServer = WarrenServer.start(other, ServerConfig.defaults());
          RawAmqpClient c = RawAmqpClient.connect(otherServer.port(), FRAME_MAX)) {
        c.openChannel(1);
        WireXaResource elsewhere = new WireXaResource(c, 1);
        assertNotEquals(xa.resourceManagerId(), elsewhere.resourceManagerId());
        assertFalse(xa.isSameRM(elsewhere));
      }
    }

    @Test
    void selectIsIdempotent() throws Exception {
      start();
      AmqpMethod again = client.call(1, new NoArguments(MethodId.DTX_SELECT));
      assertEquals(new DtxMethods.SelectOk(xa.resourceManagerId()), again);
    }

    @Test
    void aDtxMethodOnAChannelNotInDtxModeIsPreconditionFailed() throws Exception {
      start();
      client.openChannel(2);
      AmqpMethod reply =
          client.call(2, new DtxMethods.Association(MethodId.DTX_START, xid("g", "b"), TMNOFLAGS));
      Close close = assertInstanceOf(Close.class, reply);
      assertEquals(MethodId.CHANNEL_CLOSE, close.id());
      assertEquals(406, close.replyCode());
      assertEquals(
          "PRECONDITION_FAILED - channel is not in dtx mode; send dtx.select first",
          close.replyText());
      assertEquals(200, close.failingClassId());
      assertEquals(20, close.failingMethodId());
      client.closeOk(2);
      // a soft error: the connection and its other channels go on
      assertEquals(60, xa.getTransactionTimeout(), "channel 1 still answers");
      client.openChannel(3);
    }

    @Test
    void dtxSelectOnATransactionalChannelIsPreconditionFailed() throws Exception {
      start();
      client.openChannel(2);
      client.call(2, new NoArguments(MethodId.TX_SELECT));
      Close close =
          assertInstanceOf(Close.class, client.call(2, new NoArguments(MethodId.DTX_SELECT)));
      assertEquals(406, close.replyCode());
      assertEquals("PRECONDITION_FAILED - cannot switch from tx to dtx mode", close.replyText());
    }

    @Test
    void dtxSelectOnAConfirmChannelIsPreconditionFailed() throws Exception {
      start();
      client.openChannel(2);
      client.call(2, new io.warrenmq.client.wire.TxMethods.ConfirmSelect(false));
      Close close =
          assertInstanceOf(Close.class, client.call(2, new NoArguments(MethodId.DTX_SELECT)));
      assertEquals(406, close.replyCode());
      assertEquals(
          "PRECONDITION_FAILED - cannot switch from confirm to dtx mode", close.replyText());
    }

    @Test
    void txSelectAndConfirmSelectOnADtxChannelArePreconditionFailed() throws Exception {
      start();
      Close tx = assertInstanceOf(Close.class, client.call(1, new NoArguments(MethodId.TX_SELECT)));
      assertEquals(406, tx.replyCode());
      assertEquals("PRECONDITION_FAILED - cannot switch from dtx to tx mode", tx.replyText());
      client.closeOk(1);
      client.openChannel(2);
      new WireXaResource(client, 2);
      Close confirm =
          assertInstanceOf(
              Close.class,
              client.call(2, new io.warrenmq.client.wire.TxMethods.ConfirmSelect(false)));
      assertEquals(
          "PRECONDITION_FAILED - cannot switch from dtx to confirm mode", confirm.replyText());
    }

    @Test
    void aReplyMethodSentByAClientIsCommandInvalid() throws Exception {
      start();
      client.send(1, new DtxMethods.Result(MethodId.DTX_START_OK, XA_OK, ""));
      Close close = assertInstanceOf(Close.class, client.next(0).method());
      assertEquals(MethodId.CONNECTION_CLOSE, close.id());
      assertEquals(503, close.replyCode());
      assertTrue(close.replyText().contains("dtx.start-ok"), close.replyText());
    }
  }

  // ---- two-phase and one-phase commit, rollback --------------------------------------------

  @Nested
  class Completion {
    @Test
    void twoPhaseCommitPublishesAndAcksOnlyAtCommit() throws Exception {
      start();
      declare("in", "out");
      put("in", "a", true);
      Xid x = xid("2pc", "1");
      work(x, "p");
      assertEquals(0, ready("out"), "a publish in a branch is invisible before commit");
      assertEquals(0, ready("in"), "the acked message stays away from other consumers");
      xa.end(x, TMSUCCESS);
      assertEquals(XA_OK, xa.prepare(x));
      assertEquals(0, ready("out"), "prepared is not committed");
      xa.commit(x, false);
      GetResponse p = look.basicGet("out", true);
      assertEquals("p", text(p));
      assertNull(look.basicGet("in", true), "the ack is final");
      assertXa(XAER_NOTA, () -> xa.commit(x, false)); // committed branches are forgotten
    }

    @Test
    void prepareOfABranchThatDidNothingAnswersXaRdonlyAndForgetsIt() throws Exception {
      start();
      Xid x = xid("read-only", "1");
      xa.start(x, TMNOFLAGS);
      xa.end(x, TMSUCCESS);
      assertEquals(XA_RDONLY, xa.prepare(x));
      assertXa(XAER_NOTA, () -> xa.commit(x, false));
    }

    @Test
    void onePhaseCommitNeedsNoPrepare() throws Exception {
      start();
      declare("in", "out");
      put("in", "a", false);
      Xid x = xid("1pc", "1");
      work(x, "p");
      xa.end(x, TMSUCCESS);
      xa.commit(x, true);
      assertEquals("p", text(look.basicGet("out", true)));
      assertEquals(0, ready("in"));
    }

    @Test
    void rollbackDropsPublishesAndReturnsAckedMessagesRedelivered() throws Exception {
      start();
      declare("in", "out");
      put("in", "a", false);
      Xid x = xid("rollback", "1");
      work(x, "p");
      xa.end(x, TMSUCCESS);
      xa.rollback(x);
      assertEquals(0, ready("out"));
      GetResponse back = look.basicGet("in", true);
      assertEquals("a", text(back));
      assertTrue(back.getEnvelope().isRedeliver());
    }

    @Test
    void rollbackOfAPreparedBranch() throws Exception {
      start();
      declare("in", "out");
      put("in", "a", false);
      Xid x = xid("prepared-rollback", "1");
      work(x, "p");
      xa.end(x, TMSUCCESS);
      assertEquals(XA_OK, xa.prepare(x));
      xa.rollback(x);
      assertEquals(0, ready("out"));
      assertEquals(1, ready("in"));
    }

    @Test
    void aBranchCompletesFromAnotherConnection() throws Exception {
      start();
      declare("in", "out");
      put("in", "a", false);
      Xid x = xid("elsewhere", "1");
      work(x, "p");
      xa.end(x, TMSUCCESS);
      assertEquals(XA_OK, xa.prepare(x));
      try (RawAmqpClient other = RawAmqpClient.connect(server.port(), FRAME_MAX)) {
        other.openChannel(7);
        WireXaResource tm = new WireXaResource(other, 7);
        assertEquals(1, tm.recover(TMSTARTRSCAN | TMENDRSCAN).length);
        tm.commit(x, false);
      }
      assertEquals("p", text(look.basicGet("out", true)));
    }
  }

  // ---- recovery ----------------------------------------------------------------------------

  @Nested
  class Recovery {
    @TempDir Path dataDir;

    private Broker durableBroker() {
      BrokerConfig config = BrokerConfig.named("dtx-wire-durable");
      return new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name()));
    }

    /** A branch on a durable broker that acked "a" of "in" and published "p" to "out", ended. */
    private WireXid endedBranchOnADurableBroker(String global, String branch) throws Exception {
      start(durableBroker());
      declare("in", "out");
      put("in", "a", true);
      WireXid x = xid(global, branch);
      work(x, "p");
      xa.end(x, TMSUCCESS);
      return x;
    }

    private void restart() throws Exception {
      client.close();
      observer.close();
      server.close();
      broker.close();
      start(durableBroker());
    }

    /**
     * The server answers {@code dtx.commit} when the store holds it, without a thread waiting
     * (docs/architecture.md, "Threads"); the channel's next command still runs only after it. A
     * second commit of the same Xid sent in the same write as the first, finds the branch forgotten
     * (XAER_NOTA), never still being committed (XAER_PROTO); and the committed message survives a
     * restart (the answer came after the fsync).
     */
    @Test
    void aCommandSentRightBehindDtxCommitRunsAfterTheCommitIsStored() throws Exception {
      WireXid x = endedBranchOnADurableBroker("pipelined", "1");
      client.sendTogether(1, new DtxMethods.Commit(x, true), new DtxMethods.Commit(x, true));
      DtxMethods.Result first = (DtxMethods.Result) client.expect(1, MethodId.DTX_COMMIT_OK);
      DtxMethods.Result second = (DtxMethods.Result) client.expect(1, MethodId.DTX_COMMIT_OK);
      assertEquals(XA_OK, first.xaCode(), first.xaText());
      assertEquals(XAER_NOTA, second.xaCode(), "ran after the first: " + second.xaText());
      restart();
      assertEquals("p", text(look.basicGet("out", true)));
      assertNull(look.basicGet("in", true), "the ack is stored");
    }

    @Test
    void preparedBranchSurvivesARestartOfServerAndBrokerAndCommits() throws Exception {
      start(durableBroker());
      declare("in", "out");
      put("in", "a", true);
      put("in", "b", true);
      WireXid x = xid("survivor", "branch-1");
      work(x, "p");
      xa.end(x, TMSUCCESS);
      assertEquals(XA_OK, xa.prepare(x));
      String before = xa.resourceManagerId();

      restart();

      assertNotEquals(before, xa.resourceManagerId(), "a restarted broker is a new instance");
      Xid[] recovered = xa.recover(TMSTARTRSCAN | TMENDRSCAN);
      assertEquals(1, recovered.length);
      assertEquals(x, WireXid.of(recovered[0]));
      assertEquals(0, ready("out"));
      assertEquals(1, ready("in"), "b is ready; a stays with the prepared branch");
      xa.commit(recovered[0], false);
      assertEquals("p", text(look.basicGet("out", true)));
      assertEquals("b", text(look.basicGet("in", true)));
      assertNull(look.basicGet("in", true));
      assertEquals(0, xa.recover(TMSTARTRSCAN | TMENDRSCAN).length);
    }

    @Test
    void preparedBranchSurvivesARestartAndRollsBack() throws Exception {
      WireXid x = endedBranchOnADurableBroker("survivor", "branch-2");
      assertEquals(XA_OK, xa.prepare(x));

      restart();

      xa.rollback(xa.recover(TMSTARTRSCAN | TMENDRSCAN)[0]);
      assertEquals(0, ready("out"));
      GetResponse a = look.basicGet("in", true);
      assertEquals("a", text(a));
      assertTrue(a.getEnvelope().isRedeliver());
    }

    @Test
    void recoveryScanPagesXidsThatDoNotFitOneFrame() throws Exception {
      start();
      client.close();
      // the smallest frame_max: 29 Xids of 140 bytes fit in one dtx.recover-ok (4096 - 8 frame
      // overhead - 4 ids - 10 for xa-code, xa-text, the length of xids and more = 4074)
      client = RawAmqpClient.connect(server.port(), 4096);
      client.openChannel(1);
      xa = new WireXaResource(client, 1);
      declare("out");
      Set<WireXid> prepared = new HashSet<>();
      for (int i = 0; i < 70; i++) {
        byte[] gtrid = new byte[64];
        byte[] bqual = new byte[64];
        Arrays.fill(gtrid, (byte) i);
        Arrays.fill(bqual, (byte) (i + 1));
        WireXid x = new WireXid(i, gtrid, bqual);
        xa.start(x, TMNOFLAGS);
        client.publish(1, "", "out", "m" + i, false);
        xa.end(x, TMSUCCESS);
        assertEquals(XA_OK, xa.prepare(x));
        prepared.add(x);
      }
      DtxMethods.RecoverOk first = xa.recoverPage(TMSTARTRSCAN);
      assertTrue(first.more());
      assertEquals(29, first.xids().size());
      DtxMethods.RecoverOk second = xa.recoverPage(TMNOFLAGS);
      assertEquals(29, second.xids().size());
      DtxMethods.RecoverOk last = xa.recoverPage(TMENDRSCAN);
      assertEquals(12, last.xids().size());
      assertFalse(last.more());
      Set<WireXid> seen = new HashSet<>(first.xids());
      seen.addAll(second.xids());
      seen.addAll(last.xids());
      assertEquals(prepared, seen);
      assertEquals(0, xa.recoverPage(TMNOFLAGS).xids().size(), "TMENDRSCAN closed the scan");

      // TMENDRSCAN closes the scan only with its last Xid, so nothing is dropped
      DtxMethods.RecoverOk startAndEnd = xa.recoverPage(TMSTARTRSCAN | TMENDRSCAN);
      assertEquals(29, startAndEnd.xids().size());
      assertTrue(startAndEnd.more());
      assertEquals(29, xa.recoverPage(TMENDRSCAN).xids().size());
      assertEquals(12, xa.recoverPage(TMENDRSCAN).xids().size());
      assertEquals(0, xa.recoverPage(TMNOFLAGS).xids().size());
      // which lets a remote XAResource gather every page in one recover call
      assertEquals(prepared, Set.of(xa.recover(TMSTARTRSCAN | TMENDRSCAN)));
    }
  }

  // ---- XA errors are results ---------------------------------------------------------------

  // ---- 4.2 dtx.start with no-wait ("Pipelined dtx.start") ----------------------------------

  @Nested
  class NoWaitStart {
    private DtxMethods.Association noWaitStart(Xid x) {
      return new DtxMethods.Association(MethodId.DTX_START, WireXid.of(x), TMNOFLAGS, true);
    }

    @Test
    void serverCapabilitiesAdvertiseDtxStartNoWait() throws Exception {
      start();
      assertEquals(true, capabilities().get("warrenmq.dtx_start_no_wait"));
    }

    @Test
    void aStartThatSucceedsIsNotAnsweredAndTheWorkBehindItBelongsToTheBranch() throws Exception {
      start();
      declare("out");
      Xid x = xid("no-wait", "1");
      client.send(1, noWaitStart(x));
      client.publish(1, "", "out", "in the branch", true);
      // the next answer on the channel is the end's: no dtx.start-ok came before it
      xa.end(x, TMSUCCESS);
      assertEquals(0, ready("out"), "not routed before the commit");
      xa.commit(x, true);
      assertEquals("in the branch", text(look.basicGet("out", true)));
    }

    @Test
    void aRefusedStartClosesTheChannelAndTheWorkSentBehindItNeverRuns() throws Exception {
      start();
      declare("in", "out");
      put("in", "a", true);
      Xid x = xid("no-wait-dup", "1");
      xa.start(x, TMNOFLAGS);
      client.publish(1, "", "out", "first", true);
      xa.end(x, TMSUCCESS);

      client.openChannel(2);
      new WireXaResource(client, 2);
      long tag = client.get(2, "in");
      assertTrue(tag > 0, "'a' delivered on channel 2");
      client.send(2, noWaitStart(x)); // XAER_DUPID: channel 1 started x
      client.publish(2, "", "out", "behind", true);
      client.ack(2, tag);
      Close close = assertInstanceOf(Close.class, client.next(2).method());
      assertEquals(MethodId.CHANNEL_CLOSE, close.id());
      assertEquals(406, close.replyCode());
      assertTrue(
          close.replyText().startsWith("PRECONDITION_FAILED - dtx.start (no-wait) refused"),
          close.replyText());
      assertTrue(close.replyText().contains("XAER_DUPID"), close.replyText());
      assertEquals(200, close.failingClassId());
      assertEquals(20, close.failingMethodId());
      client.closeOk(2);

      // channel 1's branch of x is untouched; its commit comes after everything sent before
      xa.commit(x, true);
      assertEquals("first", text(look.basicGet("out", true)));
      assertNull(look.basicGet("out", true), "'behind' ran neither outside nor inside a branch");
      assertEquals("a", text(look.basicGet("in", true)), "the ack behind the start never ran");
    }
  }

  @Nested
  class XaErrors {
    @Test
    void commitOfAnUnknownXidAnswersXaerNotaAndTheChannelStaysOpen() throws Exception {
      start();
      XAException e = assertXa(XAER_NOTA, () -> xa.commit(xid("nobody", "1"), false));
      assertTrue(e.getMessage().contains("unknown branch"), e.getMessage());
      assertXa(XAER_NOTA, () -> xa.rollback(xid("nobody", "1")));
      assertXa(XAER_NOTA, () -> xa.prepare(xid("nobody", "1")));
      assertXa(XAER_NOTA, () -> xa.end(xid("nobody", "1"), TMSUCCESS));
      assertXa(XAER_NOTA, () -> xa.forget(xid("nobody", "1")));
      // the same channel goes on
      Xid x = xid("after-errors", "1");
      xa.start(x, TMNOFLAGS);
      xa.end(x, TMSUCCESS);
      assertEquals(XA_RDONLY, xa.prepare(x));
    }

    @Test
    void startOfAKnownXidAnswersXaerDupid() throws Exception {
      start();
      Xid x = xid("dup", "1");
      xa.start(x, TMNOFLAGS);
      xa.end(x, TMSUCCESS);
      assertXa(XAER_DUPID, () -> xa.start(x, TMNOFLAGS));
    }

    @Test
    void callsOutOfSequenceAnswerXaerProto() throws Exception {
      start();
      declare("out");
      Xid x = xid("proto", "1");
      xa.start(x, TMNOFLAGS);
      client.publish(1, "", "out", "m", false);
      assertXa(XAER_PROTO, () -> xa.start(xid("proto", "2"), TMNOFLAGS)); // already associated
      assertXa(XAER_PROTO, () -> xa.prepare(x)); // still associated
      xa.end(x, TMSUCCESS);
      assertXa(XAER_PROTO, () -> xa.commit(x, false)); // two-phase commit of an unprepared branch
      assertXa(XAER_PROTO, () -> xa.forget(x)); // WarrenMQ makes no heuristic decisions
      assertEquals(XA_OK, xa.prepare(x));
      assertXa(XAER_PROTO, () -> xa.commit(x, true)); // one-phase commit of a prepared branch
      xa.commit(x, false);
      assertEquals(1, ready("out"));
    }

    @Test
    void endWithTmfailMakesPrepareAnswerXaRbrollback() throws Exception {
      start();
      declare("out");
      Xid x = xid("doomed", "1");
      xa.start(x, TMNOFLAGS);
      client.publish(1, "", "out", "m", false);
      xa.end(x, TMFAIL);
      assertXa(XA_RBROLLBACK, () -> xa.prepare(x));
      assertEquals(0, ready("out"));
    }

    @Test
    void aBranchThatTimedOutAnswersXaRbtimeout() throws Exception {
      start();
      declare("in", "out");
      put("in", "a", false);
      xa.setTransactionTimeout(1);
      assertEquals(1, xa.getTransactionTimeout());
      Xid x = xid("slow", "1");
      work(x, "p");
      await("the broker rolls the branch back and 'a' returns", () -> readyQuietly("in") == 1);
      assertXa(XA_RBTIMEOUT, () -> xa.end(x, TMSUCCESS));
      assertEquals(0, ready("out"));
      xa.setTransactionTimeout(0);
      assertEquals(60, xa.getTransactionTimeout(), "0 restores the default");
    }

    private int readyQuietly(String queue) {
      try {
        return ready(queue);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    @Test
    void invalidArgumentsAnswerXaerInval() throws Exception {
      start();
      assertXa(XAER_INVAL, () -> xa.setTransactionTimeout(-1));
      assertXa(XAER_INVAL, () -> xa.recover(0x4000_0000));
      assertXa(XAER_INVAL, () -> xa.start(xid("flags", "1"), 0x4000_0000));
    }
  }

  // ---- malformed Xids ----------------------------------------------------------------------

  @Nested
  class MalformedXid {
    @Test
    void aGlobalIdOver64BytesAnswersXaerInvalNamingItsLength() throws Exception {
      start();
      WireXid x = new WireXid(1, new byte[65], new byte[1]);
      XAException e = assertXa(XAER_INVAL, () -> xa.start(x, TMNOFLAGS));
      assertEquals(
          "invalid Xid: global-id of 65 bytes is over the 64 that X/Open XA allows"
              + " (Xid.MAXGTRIDSIZE) (XAER_INVAL)",
          e.getMessage());
      // nothing was started (the channel is free to start another branch), and it goes on
      xa.start(xid("fine", "1"), TMNOFLAGS);
    }

    @Test
    void aBranchQualifierOver64BytesAnswersXaerInval() throws Exception {
      start();
      XAException e =
          assertXa(XAER_INVAL, () -> xa.commit(new WireXid(1, new byte[1], new byte[100]), true));
      assertTrue(e.getMessage().contains("branch-qualifier of 100 bytes"), e.getMessage());
    }

    @Test
    void theNullXidAnswersXaerInval() throws Exception {
      start();
      XAException e =
          assertXa(XAER_INVAL, () -> xa.start(new WireXid(-1, new byte[1], new byte[1]), 0));
      assertTrue(e.getMessage().contains("format-id -1 is the null Xid"), e.getMessage());
    }

    @Test
    void anXidWhoseLengthRunsPastTheFrameIsAFrameError() throws Exception {
      start();
      // dtx.start whose global-id announces 1000 bytes, with 3 in the frame
      io.netty.buffer.ByteBuf payload =
          io.netty.buffer.Unpooled.buffer()
              .writeShort(200)
              .writeShort(20)
              .writeInt(1)
              .writeInt(1000)
              .writeBytes(new byte[3]);
      io.netty.buffer.ByteBuf frame =
          io.netty.buffer.Unpooled.buffer()
              .writeByte(1)
              .writeShort(1)
              .writeInt(payload.readableBytes())
              .writeBytes(payload)
              .writeByte(0xce);
      client.sendRaw(frame);
      Close close = assertInstanceOf(Close.class, client.next(0).method());
      assertEquals(MethodId.CONNECTION_CLOSE, close.id());
      assertEquals(501, close.replyCode());
      assertEquals(
          "FRAME_ERROR - cannot decode dtx.start: global-id announces 1000 bytes, only 3 follow",
          close.replyText());
      assertArrayEquals(
          new int[] {200, 20}, new int[] {close.failingClassId(), close.failingMethodId()});
    }
  }
}
