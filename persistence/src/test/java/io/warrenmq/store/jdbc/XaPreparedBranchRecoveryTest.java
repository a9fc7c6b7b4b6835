package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.VirtualHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prepared XA branch survives a broker restart: {@code dtx.recover} lists it, its acked messages
 * stay away from consumers, and commit or rollback from a new channel completes it, durably. On the
 * default H2 file store here; {@link XaPreparedBranchRecoveryOnPostgresTest} runs the same on
 * PostgreSQL.
 */
@Timeout(60)
class XaPreparedBranchRecoveryTest {
  static final Xid XID = new SimpleXid(0x1234, "global-1", "branch-1");

  @TempDir Path dataDir;

  /** The store every broker of a test opens. */
  JdbcStoreConfig store;

  /** The same store as {@link XaKillChild}'s arguments. */
  String[] childStore;

  @BeforeEach
  void useTheStore() {
    store = JdbcStoreConfig.h2(dataDir);
    childStore = new String[] {"h2", dataDir.toString()};
  }

  private Broker start(BrokerConfig config) {
    return new Broker(config, JdbcMessageStore.open(store, config.name()));
  }

  private Broker start() {
    return start(BrokerConfig.named("xa-recovery"));
  }

  private static BasicProperties persistent() {
    return BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(GetResponse r) {
    return new String(r.delivery().body(), StandardCharsets.UTF_8);
  }

  /**
   * Queue "in" holds a, b; the branch acks a, publishes p1 to "out" and p2 through a fanout to f1
   * and f2 (one message shared by two durable queues), and is prepared; the broker then closes.
   */
  private void prepareBranchAndStop() throws Exception {
    try (Broker broker = start()) {
      Channel ch = broker.newConnection("/", null).createChannel();
      ch.queueDeclare(QueueSpec.durable("in"));
      ch.queueDeclare(QueueSpec.durable("out"));
      ch.queueDeclare(QueueSpec.durable("f1"));
      ch.queueDeclare(QueueSpec.durable("f2"));
      ch.exchangeDeclare(ExchangeSpec.durable("fan", "fanout"));
      ch.queueBind("f1", "fan", "", Map.of());
      ch.queueBind("f2", "fan", "", Map.of());
      ch.basicPublish("", "in", false, persistent(), bytes("a"));
      ch.basicPublish("", "in", false, persistent(), bytes("b"));
      ch.confirmSelect();
      ch.waitForConfirmsOrDie(5_000);

      Channel xa = broker.newConnection("/", null).createChannel();
      xa.dtxStart(XID, XAResource.TMNOFLAGS);
      GetResponse a = xa.basicGet("in", false);
      assertEquals("a", text(a));
      xa.basicAck(a.delivery().deliveryTag(), false);
      xa.basicPublish("", "out", false, persistent(), bytes("p1"));
      xa.basicPublish("fan", "", false, persistent(), bytes("p2"));
      xa.dtxEnd(XID, XAResource.TMSUCCESS);
      assertEquals(XAResource.XA_OK, xa.dtxPrepare(XID));
    }
  }

  private static List<String> drain(Channel ch, String queue) {
    List<String> out = new ArrayList<>();
    for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
      out.add(text(r));
    }
    return out;
  }

  @Test
  void aCommitAfterARestartDeliversExactlyThePublishesAndRemovesTheAckedMessage() throws Exception {
    prepareBranchAndStop();
    try (Broker broker = start()) {
      Channel ch = broker.newConnection("/", null).createChannel();
      Xid[] recovered = ch.dtxRecover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
      assertEquals(1, recovered.length);
      assertEquals(XID.getFormatId(), recovered[0].getFormatId());
      assertArrayEquals(XID.getGlobalTransactionId(), recovered[0].getGlobalTransactionId());
      assertArrayEquals(XID.getBranchQualifier(), recovered[0].getBranchQualifier());
      VirtualHost vhost = broker.virtualHost("/");
      assertEquals(1, vhost.queueMessageCount("in")); // a is held by the branch
      assertEquals(0, vhost.queueMessageCount("out"));
      ch.dtxCommit(recovered[0], false);
      assertEquals(0, ch.dtxRecover(XAResource.TMSTARTRSCAN).length);
    }
    try (Broker broker = start()) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(0, ch.dtxRecover(XAResource.TMSTARTRSCAN).length);
      assertEquals(List.of("b"), drain(ch, "in"));
      assertEquals(List.of("p1"), drain(ch, "out"));
      assertEquals(List.of("p2"), drain(ch, "f1"));
      assertEquals(List.of("p2"), drain(ch, "f2"));
    }
  }

  @Test
  void aRollbackAfterARestartReturnsTheAckedMessageRedeliveredAndDropsThePublishes()
      throws Exception {
    prepareBranchAndStop();
    try (Broker broker = start()) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(1, ch.dtxRecover(XAResource.TMSTARTRSCAN).length);
      ch.dtxRollback(XID);
      GetResponse a = ch.basicGet("in", false);
      assertEquals("a", text(a));
      assertTrue(a.delivery().redelivered());
      assertEquals(1L, a.delivery().properties().headers().get("x-delivery-count"));
      ch.basicRecover(true);
      assertEquals(0, broker.virtualHost("/").queueMessageCount("out"));
    }
    try (Broker broker = start()) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(0, ch.dtxRecover(XAResource.TMSTARTRSCAN).length);
      XAException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              XAException.class, () -> ch.dtxCommit(XID, false));
      assertEquals(XAException.XAER_NOTA, e.errorCode);
      assertEquals(List.of("a", "b"), drain(ch, "in"));
      assertEquals(List.of(), drain(ch, "out"));
      assertEquals(List.of(), drain(ch, "f1"));
    }
  }

  @Test
  void aMessageHeldByAPreparedBranchDeepInAPagedQueueNeverReachesAConsumer() throws Exception {
    BrokerConfig small = BrokerConfig.named("xa-paging").withQueueWindowBytes(1_000);
    int held = 40;
    try (Broker broker = start(small)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      ch.queueDeclare(QueueSpec.durable("deep"));
      ch.confirmSelect();
      for (int i = 0; i < 60; i++) {
        ch.basicPublish(
            "", "deep", false, persistent(), bytes(String.format("m%02d-%s", i, "x".repeat(90))));
      }
      ch.waitForConfirmsOrDie(5_000);
      Channel xa = broker.newConnection("/", null).createChannel();
      xa.dtxStart(XID, XAResource.TMNOFLAGS);
      List<GetResponse> got = new ArrayList<>();
      for (int i = 0; i <= held; i++) {
        got.add(xa.basicGet("deep", false));
      }
      xa.basicAck(got.get(held).delivery().deliveryTag(), false);
      xa.dtxEnd(XID, XAResource.TMSUCCESS);
      assertEquals(XAResource.XA_OK, xa.dtxPrepare(XID));
      xa.basicRecover(true); // the others go back (redelivered)
    }
    try (Broker broker = start(small)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      List<String> seen = drain(ch, "deep");
      assertEquals(59, seen.size());
      assertFalse(
          seen.stream().anyMatch(s -> s.startsWith(String.format("m%02d", held))),
          "held message delivered");
      ch.dtxRollback(XID);
      GetResponse back = ch.basicGet("deep", true);
      assertTrue(text(back).startsWith(String.format("m%02d", held)));
      assertTrue(back.delivery().redelivered());
      assertNull(ch.basicGet("deep", true));
    }
  }

  @Test
  void aBranchPreparedInAJvmKilledWithSigkillIsRecoveredAndCommitsExactlyItsWork()
      throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                javaBin,
                "-Xmx128m",
                // a short-lived child: the client compiler alone starts it in about half the CPU
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                XaKillChild.class.getName(),
                childStore[0],
                childStore[1])
            .redirectError(
                ProcessBuilder.Redirect.appendTo(new java.io.File("target/xa-kill-child.log")))
            .start();
    boolean prepared = false;
    try (java.io.BufferedReader in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("PREPARED;")) {
          prepared = true;
          child.toHandle().destroyForcibly(); // SIGKILL right after the prepare answered
        }
      }
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "child JVM ended");
    }
    assertTrue(prepared, "the child prepared the branch (see target/xa-kill-child.log)");
    try (Broker broker = start()) {
      Channel ch = broker.newConnection("/", null).createChannel();
      Xid[] recovered = ch.dtxRecover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
      assertEquals(1, recovered.length);
      assertEquals(1, broker.virtualHost("/").queueMessageCount("in"));
      ch.dtxCommit(recovered[0], false);
    }
    try (Broker broker = start()) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(0, ch.dtxRecover(XAResource.TMSTARTRSCAN).length);
      List<String> in = drain(ch, "in");
      assertEquals(1, in.size());
      assertEquals("b", in.get(0));
      assertEquals(List.of("p1"), drain(ch, "out"));
    }
  }

  // ---- messages rejected (nacked without requeue) in a prepared branch -----------------------

  /**
   * Queue "src" (dead-letter exchange "dlx", a fanout into queue "dead") holds {@code count}
   * messages {@code m00...} (with padding, so that a small window pages); the branch takes the
   * first {@code upTo + 1}, nacks number {@code rejected} without requeue (and acks number {@code
   * acked}, if not -1), and is prepared; the others go back; the broker then closes.
   */
  private void prepareRejectAndStop(BrokerConfig config, int count, int rejected, int acked)
      throws Exception {
    prepareRejectAndStop(config, Map.of(), count, rejected, acked);
  }

  /** {@link #prepareRejectAndStop(BrokerConfig, int, int, int)} with more arguments for "src". */
  private void prepareRejectAndStop(
      BrokerConfig config, Map<String, Object> srcArgs, int count, int rejected, int acked)
      throws Exception {
    Map<String, Object> args = new java.util.HashMap<>(srcArgs);
    args.put("x-dead-letter-exchange", "dlx");
    try (Broker broker = start(config)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      ch.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
      ch.queueDeclare(QueueSpec.durable("dead"));
      ch.queueBind("dead", "dlx", "", Map.of());
      ch.queueDeclare(new QueueSpec("src", true, false, false, args));
      ch.confirmSelect();
      for (int i = 0; i < count; i++) {
        ch.basicPublish("", "src", false, persistent(), bytes(padded(i)));
      }
      ch.waitForConfirmsOrDie(5_000);
      Channel xa = broker.newConnection("/", null).createChannel();
      xa.dtxStart(XID, XAResource.TMNOFLAGS);
      List<GetResponse> got = new ArrayList<>();
      for (int i = 0; i <= Math.max(rejected, acked); i++) {
        got.add(xa.basicGet("src", false));
      }
      xa.basicNack(got.get(rejected).delivery().deliveryTag(), false, false);
      if (acked >= 0) {
        xa.basicAck(got.get(acked).delivery().deliveryTag(), false);
      }
      xa.dtxEnd(XID, XAResource.TMSUCCESS);
      assertEquals(XAResource.XA_OK, xa.dtxPrepare(XID));
      xa.basicRecover(true); // the others go back (redelivered)
    }
  }

  private static String padded(int i) {
    return String.format("m%02d-%s", i, "x".repeat(90));
  }

  private static String name(GetResponse r) {
    return text(r).substring(0, 3);
  }

  private static List<String> names(List<String> bodies) {
    return bodies.stream().map(b -> b.substring(0, 3)).toList();
  }

  /** Asserts that {@code r} was dead-lettered from "src" once, for reason {@code rejected}. */
  @SuppressWarnings("unchecked")
  private static void assertRejectedFromSrc(GetResponse r) {
    Map<String, Object> headers = r.delivery().properties().headers();
    List<Map<String, Object>> deaths = (List<Map<String, Object>>) headers.get("x-death");
    assertEquals(1, deaths.size(), "one death: " + deaths);
    Map<String, Object> death = deaths.get(0);
    assertEquals("rejected", String.valueOf(death.get("reason")));
    assertEquals("src", String.valueOf(death.get("queue")));
    assertEquals(1L, ((Number) death.get("count")).longValue());
    assertEquals("", String.valueOf(death.get("exchange")));
    assertEquals("rejected", String.valueOf(headers.get("x-first-death-reason")));
    assertEquals("src", String.valueOf(headers.get("x-first-death-queue")));
  }

  @Test
  void aMessageRejectedInARecoveredBranchIsDeadLetteredWithReasonRejectedAtCommit()
      throws Exception {
    prepareRejectAndStop(BrokerConfig.named("xa-reject"), 3, 0, -1);
    try (Broker broker = start(BrokerConfig.named("xa-reject"))) {
      Channel ch = broker.newConnection("/", null).createChannel();
      Xid[] recovered = ch.dtxRecover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
      assertEquals(1, recovered.length);
      VirtualHost vhost = broker.virtualHost("/");
      assertEquals(2, vhost.queueMessageCount("src")); // m00 is held by the branch
      assertEquals(0, vhost.queueMessageCount("dead"));
      ch.dtxCommit(recovered[0], false);
      assertEquals(1, vhost.queueMessageCount("dead"));
      assertEquals(2, vhost.queueMessageCount("src"));
    }
    try (Broker broker = start(BrokerConfig.named("xa-reject"))) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(0, ch.dtxRecover(XAResource.TMSTARTRSCAN).length);
      GetResponse dead = ch.basicGet("dead", true);
      assertEquals("m00", name(dead));
      assertRejectedFromSrc(dead);
      assertNull(ch.basicGet("dead", true));
      assertEquals(List.of("m01", "m02"), names(drain(ch, "src")));
    }
  }

  @Test
  void aMessageRejectedInARecoveredBranchComesBackRedeliveredAtRollback() throws Exception {
    prepareRejectAndStop(BrokerConfig.named("xa-reject"), 3, 0, -1);
    try (Broker broker = start(BrokerConfig.named("xa-reject"))) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(1, ch.dtxRecover(XAResource.TMSTARTRSCAN).length);
      ch.dtxRollback(XID);
      assertEquals(3, broker.virtualHost("/").queueMessageCount("src"));
      assertEquals(0, broker.virtualHost("/").queueMessageCount("dead"));
    }
    try (Broker broker = start(BrokerConfig.named("xa-reject"))) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(0, ch.dtxRecover(XAResource.TMSTARTRSCAN).length);
      GetResponse back = ch.basicGet("src", true);
      assertEquals("m00", name(back));
      assertTrue(back.delivery().redelivered());
      assertEquals(List.of("m01", "m02"), names(drain(ch, "src")));
      assertNull(ch.basicGet("dead", true));
    }
  }

  @Test
  void aRejectedMessageDeepInAPagedQueueIsDeadLetteredWhenTheRecoveredBranchCommits()
      throws Exception {
    BrokerConfig small = BrokerConfig.named("xa-reject-paging").withQueueWindowBytes(1_000);
    prepareRejectAndStop(small, 60, 40, -1);
    try (Broker broker = start(small)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      // m40 is far beyond the first window: the commit reads it from the store to dead-letter it
      ch.dtxCommit(XID, false);
      GetResponse dead = ch.basicGet("dead", true);
      assertEquals("m40", name(dead));
      assertRejectedFromSrc(dead);
      List<String> src = names(drain(ch, "src"));
      assertEquals(59, src.size());
      assertFalse(src.contains("m40"), "the dead-lettered message is gone from src");
    }
    try (Broker broker = start(small)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(List.of(), drain(ch, "src"));
      assertEquals(List.of(), drain(ch, "dead"));
    }
  }

  // ---- purge of a paging queue vs a recovered branch ---------------------------------------

  @Test
  void aPurgeOfAPagedQueueLeavesTheMessagesARecoveredBranchHoldsAndARollbackReturnsThem()
      throws Exception {
    BrokerConfig small = BrokerConfig.named("xa-purge").withQueueWindowBytes(1_000);
    prepareRejectAndStop(small, 60, 45, 40);
    try (Broker broker = start(small)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(58, ch.queuePurge("src"));
      assertEquals(0, broker.virtualHost("/").queueMessageCount("src"));
      ch.dtxRollback(XID);
      GetResponse first = ch.basicGet("src", false);
      GetResponse second = ch.basicGet("src", false);
      assertEquals(List.of("m40", "m45"), List.of(name(first), name(second)));
      assertTrue(first.delivery().redelivered());
      assertTrue(second.delivery().redelivered());
      assertNull(ch.basicGet("src", false));
      ch.basicRecover(true);
    }
    try (Broker broker = start(small)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(List.of("m40", "m45"), names(drain(ch, "src")));
      assertEquals(List.of(), drain(ch, "dead"));
    }
  }

  @Test
  void aPurgeOfAPagedQueueThenACommitSettlesTheHeldMessagesForGood() throws Exception {
    BrokerConfig small = BrokerConfig.named("xa-purge").withQueueWindowBytes(1_000);
    prepareRejectAndStop(small, 60, 45, 40);
    try (Broker broker = start(small)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(58, ch.queuePurge("src"));
      ch.dtxCommit(XID, false);
      GetResponse dead = ch.basicGet("dead", true);
      assertEquals("m45", name(dead));
      assertRejectedFromSrc(dead);
      assertNull(ch.basicGet("src", true));
    }
    try (Broker broker = start(small)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      assertEquals(0, ch.dtxRecover(XAResource.TMSTARTRSCAN).length);
      assertEquals(List.of(), drain(ch, "src"));
      assertEquals(List.of(), drain(ch, "dead"));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void dropHeadOfAPagedQueueLeavesTheMessagesARecoveredBranchHoldsToItsCommit() throws Exception {
    BrokerConfig small = BrokerConfig.named("xa-drop-head").withQueueWindowBytes(1_000);
    prepareRejectAndStop(small, Map.of("x-max-length", 60), 60, 45, 40);
    try (Broker broker = start(small)) {
      Channel ch = broker.newConnection("/", null).createChannel();
      ch.confirmSelect();
      for (int i = 0; i < 42; i++) {
        ch.basicPublish("", "src", false, persistent(), bytes(String.format("n%02d", i)));
      }
      ch.waitForConfirmsOrDie(5_000);
      // 102 over a limit of 60: the oldest ready ones are dropped (m00..m39 at least), never the
      // two the branch holds, which are not ready
      ch.dtxCommit(XID, false);
      List<String> maxlen = new ArrayList<>();
      List<String> rejected = new ArrayList<>();
      for (GetResponse r = ch.basicGet("dead", true); r != null; r = ch.basicGet("dead", true)) {
        List<Map<String, Object>> deaths =
            (List<Map<String, Object>>) r.delivery().properties().headers().get("x-death");
        String reason = String.valueOf(deaths.get(0).get("reason"));
        (reason.equals("rejected") ? rejected : maxlen).add(name(r));
      }
      assertEquals(List.of("m45"), rejected);
      assertTrue(maxlen.size() >= 40, "dropped: " + maxlen);
      for (int i = 0; i < 40; i++) {
        assertEquals(String.format("m%02d", i), maxlen.get(i));
      }
      assertFalse(maxlen.contains("m40") || maxlen.contains("m45"), "held, dropped: " + maxlen);
      List<String> left = names(drain(ch, "src"));
      assertFalse(left.contains("m40") || left.contains("m45"), "settled by the commit: " + left);
      assertEquals(102 - 2, maxlen.size() + left.size());
    }
  }

  /** An Xid without {@code equals}, as a transaction manager's. */
  record SimpleXid(int formatId, String gtrid, String bqual) implements Xid {
    @Override
    public int getFormatId() {
      return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
      return bytes(gtrid);
    }

    @Override
    public byte[] getBranchQualifier() {
      return bytes(bqual);
    }
  }
}
