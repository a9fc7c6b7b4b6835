package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The consumer argument {@code x-redelivery-delay} (ActiveMQ Artemis' {@code redelivery-delay}): a
 * message that comes back from such a consumer through a failed outcome (nack or reject with
 * requeue, recover, rollback of the local transaction or XA branch that acked it) is ready again
 * only after the delay, measured from the call that failed it; a channel close returns it at once.
 * Each check waits for the redelivery with a deadline and asserts a lower bound on when it came.
 */
@Timeout(30)
class RedeliveryDelayTest {
  private static final long DELAY_MS = 400;
  private static final Map<String, Object> DELAYED = Map.of("x-redelivery-delay", DELAY_MS);

  private Broker broker;
  private Connection conn;
  private Channel ch;
  private Channel other;
  private VirtualHost vhost;

  /** A delivery and the {@link System#nanoTime()} its callback ran. */
  private record Arrival(Delivery delivery, long nanos) {}

  /** Records each delivery with the time it arrived. */
  private static final class Clocked implements Consumer {
    final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();

    @Override
    public void handleDelivery(Delivery delivery) {
      arrivals.add(new Arrival(delivery, System.nanoTime()));
    }

    @Override
    public void handleCancel(String consumerTag) {}

    /** The next arrival, failing after 10 s (the deadline of every redelivery here). */
    Arrival next() throws InterruptedException {
      Arrival a = arrivals.poll(10, TimeUnit.SECONDS);
      if (a == null) {
        fail("no delivery within 10 s");
      }
      return a;
    }
  }

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    conn = broker.newConnection("/", null);
    ch = conn.createChannel();
    other = conn.createChannel();
    vhost = broker.virtualHost("/");
    ch.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private static long msSince(long nanos, long then) {
    return TimeUnit.NANOSECONDS.toMillis(nanos - then);
  }

  /**
   * Asserts a redelivery: flagged, counted, and not earlier than the delay after {@code failed}.
   */
  private static void assertRedeliveredAfterDelay(Arrival a, String body, long failed, long count) {
    assertEquals(body, text(a.delivery()));
    assertTrue(a.delivery().redelivered(), "marked redelivered");
    assertEquals(count, a.delivery().properties().headers().get("x-delivery-count"));
    long waited = msSince(a.nanos(), failed);
    assertTrue(waited >= DELAY_MS, "came back after " + waited + " ms, before " + DELAY_MS);
  }

  @Test
  void aNackOrRejectWithRequeueComesBackOnlyAfterTheDelay() throws Exception {
    Clocked c = new Clocked();
    ch.basicConsume("q", false, "", false, DELAYED, c);
    ch.basicPublish("", "q", false, null, bytes("m"));
    Arrival first = c.next();
    assertFalse(first.delivery().redelivered());

    long failed = System.nanoTime();
    ch.basicNack(first.delivery().deliveryTag(), false, true);
    assertEquals(0, vhost.queueMessageCount("q"), "held: not ready");
    Arrival second = c.next();
    assertRedeliveredAfterDelay(second, "m", failed, 1L);

    failed = System.nanoTime();
    ch.basicReject(second.delivery().deliveryTag(), true);
    assertRedeliveredAfterDelay(c.next(), "m", failed, 2L);
  }

  @Test
  void recoverReturnsEveryUnackedMessageAfterTheDelayInTheirOriginalOrder() throws Exception {
    Clocked c = new Clocked();
    ch.basicConsume("q", false, "", false, DELAYED, c);
    ch.basicPublish("", "q", false, null, bytes("a"));
    ch.basicPublish("", "q", false, null, bytes("b"));
    c.next();
    c.next();

    long failed = System.nanoTime();
    ch.basicRecover(true);
    assertNull(other.basicGet("q", true), "held: nobody else takes them meanwhile");
    assertRedeliveredAfterDelay(c.next(), "a", failed, 1L);
    assertRedeliveredAfterDelay(c.next(), "b", failed, 1L);
  }

  @Test
  void aRolledBackLocalTransactionReturnsItsMessageAfterTheDelay() throws Exception {
    // as the JMS session rolls back: tx.rollback discards the ack, the message (still unacked) is
    // rejected with requeue, and that reject is committed
    Clocked c = new Clocked();
    ch.txSelect();
    ch.basicConsume("q", false, "", false, DELAYED, c);
    ch.basicPublish("", "q", false, null, bytes("m"));
    ch.txCommit();
    long tag = c.next().delivery().deliveryTag();
    ch.basicAck(tag, false);
    ch.txRollback();
    ch.basicReject(tag, true);

    long failed = System.nanoTime();
    ch.txCommit();
    assertNull(other.basicGet("q", true), "held: nobody else takes it meanwhile");
    assertRedeliveredAfterDelay(c.next(), "m", failed, 1L);
  }

  @Test
  void anXaRollbackReturnsTheAckedMessageAfterTheDelayAndNotToAnotherConsumerBefore()
      throws Exception {
    Clocked c = new Clocked();
    ch.basicConsume("q", false, "", false, DELAYED, c);
    ch.basicPublish("", "q", false, null, bytes("m"));
    Arrival first = c.next();
    Xid xid = TestXid.of("redelivery-delay");
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicAck(first.delivery().deliveryTag(), false);
    ch.dtxEnd(xid, TMSUCCESS);

    long failed = System.nanoTime();
    ch.dtxRollback(xid);
    assertEquals(0, vhost.queueMessageCount("q"), "held: not ready");
    assertNull(other.basicGet("q", true), "held: nobody else takes it meanwhile");
    assertRedeliveredAfterDelay(c.next(), "m", failed, 1L);
  }

  @Test
  void aChannelCloseReturnsTheMessageAtOnce() throws Exception {
    Clocked c = new Clocked();
    ch.basicConsume("q", false, "", false, DELAYED, c);
    ch.basicPublish("", "q", false, null, bytes("m"));
    c.next(); // seen by the consumer: the close returns it redelivered

    ch.close();

    assertEquals(1, vhost.queueMessageCount("q"), "ready right after the close");
    GetResponse r = other.basicGet("q", true);
    assertNotNull(r);
    assertEquals("m", text(r.delivery()));
    assertTrue(r.delivery().redelivered());
  }

  @Test
  void aHeldMessageFreesItsPrefetchCreditSoTheNextMessageIsDeliveredFirst() throws Exception {
    Clocked c = new Clocked();
    ch.basicQos(1, false);
    ch.basicConsume("q", false, "", false, DELAYED, c);
    ch.basicPublish("", "q", false, null, bytes("a"));
    ch.basicPublish("", "q", false, null, bytes("b"));
    Arrival a = c.next();
    assertEquals("a", text(a.delivery()));

    long failed = System.nanoTime();
    ch.basicNack(a.delivery().deliveryTag(), false, true);
    Arrival b = c.next();
    assertEquals("b", text(b.delivery()), "b is delivered while a is held");
    assertFalse(b.delivery().redelivered());
    ch.basicAck(b.delivery().deliveryTag(), false);
    assertRedeliveredAfterDelay(c.next(), "a", failed, 1L);
  }

  @Test
  void purgeDropsHeldMessagesAndCountsThemSoTheyNeverComeBack() throws Exception {
    Clocked c = new Clocked();
    ch.basicConsume("q", false, "", false, DELAYED, c);
    ch.basicPublish("", "q", false, null, bytes("purged"));
    ch.basicNack(c.next().delivery().deliveryTag(), false, true);

    assertEquals(1, other.queuePurge("q"), "the held message is purged");

    // a later message held as long: had the purged one survived, it would be due first
    ch.basicPublish("", "q", false, null, bytes("later"));
    long failed = System.nanoTime();
    ch.basicNack(c.next().delivery().deliveryTag(), false, true);
    assertRedeliveredAfterDelay(c.next(), "later", failed, 1L);
    assertTrue(c.arrivals.isEmpty(), "nothing else arrived: " + c.arrivals);
  }

  @Test
  void queueDeleteDropsHeldMessagesAndCountsThem() throws Exception {
    Clocked c = new Clocked();
    ch.basicConsume("q", false, "", false, DELAYED, c);
    ch.basicPublish("", "q", false, null, bytes("m"));
    ch.basicNack(c.next().delivery().deliveryTag(), false, true);

    assertEquals(1, other.queueDelete("q", false, false));
    assertFalse(vhost.queueExists("q"));
  }

  @Test
  void aRedeliveryDelayThatIsNotAnIntegerIsRefusedWith406NamingTheArgument() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () ->
                ch.basicConsume(
                    "q", false, "", false, Map.of("x-redelivery-delay", "1000"), new Clocked()));
    assertTrue(e.getMessage().contains("x-redelivery-delay"), e.getMessage());
    assertTrue(e.getMessage().contains("longstr"), e.getMessage());
    assertFalse(ch.isOpen(), "a soft error closes the channel");
    assertEquals(0, vhost.queueConsumerCount("q"));
  }

  @Test
  void aNegativeRedeliveryDelayIsRefusedWith406NamingTheArgument() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () ->
                ch.basicConsume(
                    "q", false, "", false, Map.of("x-redelivery-delay", -1), new Clocked()));
    assertTrue(e.getMessage().contains("x-redelivery-delay"), e.getMessage());
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertEquals(0, vhost.queueConsumerCount("q"));
  }

  @Test
  void aMessagePastItsDeliveryLimitIsDeadLetteredAtOnceNotHeld() throws Exception {
    ch.queueDeclare(
        new QueueSpec(
            "limited",
            true,
            false,
            false,
            Map.of(
                "x-delivery-limit",
                0,
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-routing-key",
                "dead")));
    ch.queueDeclare(QueueSpec.durable("dead"));
    Clocked c = new Clocked();
    ch.basicConsume("limited", false, "", false, DELAYED, c);
    ch.basicPublish("", "limited", false, null, bytes("m"));
    ch.basicNack(c.next().delivery().deliveryTag(), false, true);

    TestSupport.await("dead-lettered", () -> vhost.queueMessageCount("dead") == 1);
    assertEquals(List.of(), List.copyOf(c.arrivals));
  }
}
