package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Randomised model test: seeded random sequences of queue declare/delete/purge, exchange
 * declare/delete, bind/unbind, publish (default, direct, fanout and topic exchanges, routing keys
 * from a three-word alphabet), {@code basic.get} with or without auto-ack, ack (single and
 * multiple), reject/nack with and without requeue, recover, channel close, and deliberate channel
 * errors, run against the engine and against a reference model written here with plain maps and
 * lists. After every step the observable outcome (returned counts, delivered message, delivery tag,
 * redelivered flag, {@code x-delivery-count}, reply codes of errors) must equal the model's, and at
 * the end every queue is drained and compared message by message.
 *
 * <p>The model's rules: a queue delivers in arrival order; requeued messages return to their
 * original position (RabbitMQ since 2.7); a message routed to a queue by several bindings is
 * enqueued once; unroutable messages are dropped; a channel error (404, 406) closes the channel and
 * requeues its unacked messages as redelivered; a deleted queue's unacked messages vanish when
 * requeued. Delivery tags count from 1 per channel. These rules were checked against RabbitMQ
 * (requeue to the original position with the redelivered flag, 406 for an unknown tag with {@code
 * multiple}, unbinding a missing binding is a no-op, 404 when purging a missing queue); the
 * engine's own {@code x-delivery-count} header (see {@link Delivery}) is checked as documented
 * there.
 *
 * <p>A failure names its seed and step; rerun one seed with {@code -Dmodel.seed=<seed>}, change the
 * number of seeds with {@code -Dmodel.seeds=<n>}.
 */
@Timeout(60)
class EngineModelTest {
  private static final String[] QUEUES = {"q0", "q1", "q2", "q3"};
  private static final String[] EXCHANGES = {"x.direct", "x.fanout", "x.topic"};
  private static final String[] WORDS = {"a", "b", "c"};
  private static final String[] PATTERN_WORDS = {"a", "b", "c", "*", "#"};
  private static final int STEPS = 300;
  private static final AtomicInteger VHOSTS = new AtomicInteger();

  private static Broker broker;

  @BeforeAll
  static void startBroker() {
    broker = new Broker(new BrokerConfig("model", 2));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void randomOperationSequencesBehaveLikeTheReferenceModel() {
    runSeeds(0xC0FFEEL, 0);
  }

  @Test
  void randomSequencesWithChannelErrorsRequeueUnackedMessagesLikeTheReferenceModel() {
    runSeeds(0xBADL << 20, 8);
  }

  private static void runSeeds(long base, int errorWeight) {
    String one = System.getProperty("model.seed");
    if (one != null) {
      run(Long.parseLong(one), errorWeight);
      return;
    }
    int seeds = Integer.getInteger("model.seeds", 200);
    for (int i = 0; i < seeds; i++) {
      run(base + i, errorWeight);
    }
  }

  private static void run(long seed, int errorWeight) {
    Run r = new Run(seed, errorWeight);
    try {
      r.execute();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "seed "
              + seed
              + " failed at step "
              + r.step
              + " ("
              + r.lastOp
              + "); rerun with -Dmodel.seed="
              + seed
              + ": "
              + e.getMessage(),
          e);
    } finally {
      r.close();
    }
  }

  // ---- the reference model ---------------------------------------------------------------

  /** One incarnation of a queue: a redeclared queue is a new object. */
  static final class MQueue {
    final String name;
    final TreeMap<Long, Msg> ready = new TreeMap<>();
    boolean deleted;

    MQueue(String name) {
      this.name = name;
    }
  }

  /** A message as held by one queue. */
  static final class Msg {
    final MQueue queue;
    final long seq;
    final int id;
    final String exchange;
    final String routingKey;
    int deliveryCount;

    Msg(MQueue queue, long seq, int id, String exchange, String routingKey) {
      this.queue = queue;
      this.seq = seq;
      this.id = id;
      this.exchange = exchange;
      this.routingKey = routingKey;
    }
  }

  record MBinding(String exchange, MQueue queue, String key) {}

  /** Topic matching written the obvious (exponential but tiny) way, independent of the trie. */
  static boolean topicMatches(String pattern, String key) {
    return topicMatches(words(pattern), 0, words(key), 0);
  }

  private static boolean topicMatches(String[] p, int i, String[] w, int j) {
    if (i == p.length) {
      return j == w.length;
    }
    if (p[i].equals("#")) {
      return topicMatches(p, i + 1, w, j) || (j < w.length && topicMatches(p, i, w, j + 1));
    }
    if (j == w.length) {
      return false;
    }
    return (p[i].equals("*") || p[i].equals(w[j])) && topicMatches(p, i + 1, w, j + 1);
  }

  private static String[] words(String key) {
    return key.isEmpty() ? new String[0] : key.split("\\.", -1);
  }

  // ---- one seeded run ----------------------------------------------------------------------

  static final class Run {
    final Random rnd;
    final int errorWeight;
    final String vhost = "model-" + VHOSTS.incrementAndGet();
    final Connection conn;
    Channel ch;

    // model state
    final Map<String, MQueue> queues = new LinkedHashMap<>();
    final Map<String, String> exchanges = new LinkedHashMap<>();
    final Set<MBinding> bindings = new LinkedHashSet<>();
    final TreeMap<Long, Msg> unacked = new TreeMap<>();
    long nextTag = 1;
    long nextSeq;
    int nextId;

    int step;
    String lastOp = "setup";

    Run(long seed, int errorWeight) {
      this.rnd = new Random(seed);
      this.errorWeight = errorWeight;
      broker.virtualHost(vhost);
      conn = broker.newConnection(vhost, "model");
      ch = conn.createChannel();
    }

    void close() {
      conn.close();
    }

    void execute() {
      for (String x : EXCHANGES) {
        declareExchange(x);
      }
      for (step = 0; step < STEPS; step++) {
        int w = rnd.nextInt(100 + errorWeight);
        if (w < 6) {
          declareQueue(pick(QUEUES));
        } else if (w < 8) {
          deleteQueue();
        } else if (w < 10) {
          purge();
        } else if (w < 20) {
          bind();
        } else if (w < 24) {
          unbind();
        } else if (w < 50) {
          publish();
        } else if (w < 70) {
          get();
        } else if (w < 80) {
          ack();
        } else if (w < 86) {
          reject(true);
        } else if (w < 89) {
          reject(false);
        } else if (w < 91) {
          recover();
        } else if (w < 93) {
          closeChannel();
        } else if (w < 95) {
          deleteExchange();
        } else if (w < 97) {
          declareExchange(pick(EXCHANGES));
        } else if (w < 100) {
          checkCounts();
        } else {
          channelError();
        }
      }
      lastOp = "final drain";
      closeChannel();
      checkCounts();
      for (MQueue q : queues.values()) {
        while (!q.ready.isEmpty()) {
          expectGet(q, true);
        }
        assertNull(ch.basicGet(q.name, true), "queue " + q.name + " should be empty");
      }
    }

    private <T> T pick(T[] values) {
      return values[rnd.nextInt(values.length)];
    }

    private String randomKey(String[] alphabet) {
      int n = rnd.nextInt(4);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append('.');
        }
        sb.append(pick(alphabet));
      }
      return sb.toString();
    }

    /** A queue name that exists, or with the given chance any name. */
    private String queueName(double anyChance) {
      if (queues.isEmpty() || rnd.nextDouble() < anyChance) {
        return pick(QUEUES);
      }
      List<String> names = new ArrayList<>(queues.keySet());
      return names.get(rnd.nextInt(names.size()));
    }

    // ---- operations, each applied to both ----------------------------------------------------

    void declareExchange(String x) {
      String type = x.substring(2);
      lastOp = "exchange.declare " + x;
      ch.exchangeDeclare(new ExchangeSpec(x, type, false, false, false, null));
      exchanges.putIfAbsent(x, type);
    }

    void deleteExchange() {
      String x = pick(EXCHANGES);
      lastOp = "exchange.delete " + x;
      if (!exchanges.containsKey(x)) {
        // RabbitMQ 3.x/4.x answers delete-ok here, the engine 404; not modelled until they agree
        return;
      }
      ch.exchangeDelete(x, false);
      exchanges.remove(x);
      bindings.removeIf(b -> b.exchange.equals(x));
    }

    void declareQueue(String name) {
      lastOp = "queue.declare " + name;
      QueueDeclareOk ok = ch.queueDeclare(new QueueSpec(name, false, false, false, null));
      MQueue q = queues.computeIfAbsent(name, MQueue::new);
      assertEquals(new QueueDeclareOk(name, q.ready.size(), 0), ok);
    }

    void deleteQueue() {
      String name = queueName(0);
      lastOp = "queue.delete " + name;
      MQueue q = queues.get(name);
      if (q == null) {
        return; // as for exchanges: RabbitMQ answers delete-ok, the engine 404; not modelled
      }
      assertEquals(q.ready.size(), ch.queueDelete(name, false, false));
      q.deleted = true;
      q.ready.clear();
      queues.remove(name);
      bindings.removeIf(b -> b.queue == q);
    }

    void purge() {
      String name = queueName(0.1);
      lastOp = "queue.purge " + name;
      MQueue q = queues.get(name);
      if (q == null) {
        expectChannelError(ReplyCode.NOT_FOUND, () -> ch.queuePurge(name));
        return;
      }
      assertEquals(q.ready.size(), ch.queuePurge(name));
      q.ready.clear();
    }

    void bind() {
      String name = queueName(0.05);
      String x = pick(EXCHANGES);
      String key = randomKey(x.equals("x.topic") ? PATTERN_WORDS : WORDS);
      lastOp = "queue.bind " + name + " to " + x + " with '" + key + "'";
      MQueue q = queues.get(name);
      if (q == null || !exchanges.containsKey(x)) {
        expectChannelError(ReplyCode.NOT_FOUND, () -> ch.queueBind(name, x, key, null));
        return;
      }
      ch.queueBind(name, x, key, null);
      bindings.add(new MBinding(x, q, key));
    }

    void unbind() {
      String name;
      String x;
      String key;
      if (!bindings.isEmpty() && rnd.nextInt(4) != 0) {
        MBinding b = new ArrayList<>(bindings).get(rnd.nextInt(bindings.size()));
        name = b.queue.name;
        x = b.exchange;
        key = b.key;
      } else {
        name = queueName(0);
        x = pick(EXCHANGES);
        key = randomKey(x.equals("x.topic") ? PATTERN_WORDS : WORDS);
      }
      lastOp = "queue.unbind " + name + " from " + x + " with '" + key + "'";
      MQueue q = queues.get(name);
      if (q == null || !exchanges.containsKey(x)) {
        expectChannelError(ReplyCode.NOT_FOUND, () -> ch.queueUnbind(name, x, key, null));
        return;
      }
      ch.queueUnbind(name, x, key, null);
      bindings.remove(new MBinding(x, q, key));
    }

    void publish() {
      int choice = rnd.nextInt(EXCHANGES.length + 1);
      String x = choice == EXCHANGES.length ? "" : EXCHANGES[choice];
      String key = x.isEmpty() ? queueName(0.2) : randomKey(WORDS);
      int id = nextId++;
      lastOp = "basic.publish #" + id + " to '" + x + "' with '" + key + "'";
      byte[] body = ByteBuffer.allocate(4).putInt(id).array();
      if (!x.isEmpty() && !exchanges.containsKey(x)) {
        expectChannelError(ReplyCode.NOT_FOUND, () -> ch.basicPublish(x, key, false, null, body));
        return;
      }
      ch.basicPublish(x, key, false, null, body);
      for (MQueue q : route(x, key)) {
        long seq = nextSeq++;
        q.ready.put(seq, new Msg(q, seq, id, x, key));
      }
    }

    private Set<MQueue> route(String x, String key) {
      Set<MQueue> targets = new LinkedHashSet<>();
      if (x.isEmpty()) {
        MQueue q = queues.get(key);
        if (q != null) {
          targets.add(q);
        }
        return targets;
      }
      String type = exchanges.get(x);
      for (MBinding b : bindings) {
        if (!b.exchange.equals(x)) {
          continue;
        }
        boolean hit =
            switch (type) {
              case "direct" -> b.key.equals(key);
              case "fanout" -> true;
              default -> topicMatches(b.key, key);
            };
        if (hit) {
          targets.add(b.queue);
        }
      }
      return targets;
    }

    void get() {
      String name = queueName(0.1);
      boolean autoAck = rnd.nextInt(3) == 0;
      lastOp = "basic.get " + name + (autoAck ? " auto-ack" : "");
      MQueue q = queues.get(name);
      if (q == null) {
        expectChannelError(ReplyCode.NOT_FOUND, () -> ch.basicGet(name, autoAck));
        return;
      }
      if (q.ready.isEmpty()) {
        assertNull(ch.basicGet(name, autoAck), "get-empty expected");
        return;
      }
      expectGet(q, autoAck);
    }

    private void expectGet(MQueue q, boolean autoAck) {
      Msg m = q.ready.pollFirstEntry().getValue();
      long tag = nextTag++;
      GetResponse r = ch.basicGet(q.name, autoAck);
      assertNotNull(r, "expected message #" + m.id + " from " + q.name);
      Delivery d = r.delivery();
      assertEquals(m.id, ByteBuffer.wrap(d.body()).getInt(), "message id");
      assertEquals(m.exchange, d.exchange(), "exchange");
      assertEquals(m.routingKey, d.routingKey(), "routing key");
      assertEquals(tag, d.deliveryTag(), "delivery tag");
      assertEquals(m.deliveryCount > 0, d.redelivered(), "redelivered flag");
      Map<String, Object> headers = d.properties().headers();
      Object count = headers == null ? null : headers.get("x-delivery-count");
      assertEquals(m.deliveryCount == 0 ? null : (long) m.deliveryCount, count, "x-delivery-count");
      assertEquals(q.ready.size(), r.messageCount(), "message count after get");
      if (!autoAck) {
        unacked.put(tag, m);
      }
    }

    /** A random unacked tag, or 0 if none. */
    private long someUnackedTag() {
      if (unacked.isEmpty()) {
        return 0;
      }
      List<Long> tags = new ArrayList<>(unacked.keySet());
      return tags.get(rnd.nextInt(tags.size()));
    }

    void ack() {
      long tag = someUnackedTag();
      if (tag == 0) {
        return;
      }
      boolean multiple = rnd.nextBoolean();
      lastOp = "basic.ack " + tag + (multiple ? " multiple" : "");
      ch.basicAck(tag, multiple);
      settled(tag, multiple);
    }

    void reject(boolean requeue) {
      long tag = someUnackedTag();
      if (tag == 0) {
        return;
      }
      boolean multiple = rnd.nextBoolean();
      lastOp = "basic.nack " + tag + (multiple ? " multiple" : "") + " requeue=" + requeue;
      if (multiple) {
        ch.basicNack(tag, true, requeue);
      } else if (rnd.nextBoolean()) {
        ch.basicReject(tag, requeue);
      } else {
        ch.basicNack(tag, false, requeue);
      }
      List<Msg> settled = settled(tag, multiple);
      if (requeue) {
        requeue(settled);
      }
    }

    private List<Msg> settled(long tag, boolean multiple) {
      List<Msg> out = new ArrayList<>();
      if (multiple) {
        Iterator<Msg> it = unacked.headMap(tag, true).values().iterator();
        while (it.hasNext()) {
          out.add(it.next());
          it.remove();
        }
      } else {
        out.add(unacked.remove(tag));
      }
      return out;
    }

    private static void requeue(List<Msg> messages) {
      for (Msg m : messages) {
        m.deliveryCount++;
        if (!m.queue.deleted) {
          m.queue.ready.put(m.seq, m);
        }
      }
    }

    void recover() {
      lastOp = "basic.recover";
      ch.basicRecover(true);
      requeue(new ArrayList<>(unacked.values()));
      unacked.clear();
    }

    void closeChannel() {
      lastOp = "channel.close";
      ch.close();
      channelGone();
    }

    /** The engine closed or we closed the channel: unacked messages return, tags restart. */
    private void channelGone() {
      assertFalse(ch.isOpen(), "channel should be closed");
      requeue(new ArrayList<>(unacked.values()));
      unacked.clear();
      nextTag = 1;
      ch = conn.createChannel();
    }

    void channelError() {
      if (rnd.nextBoolean()) {
        long tag = nextTag + 1000;
        lastOp = "basic.ack unknown tag " + tag;
        expectChannelError(ReplyCode.PRECONDITION_FAILED, () -> ch.basicAck(tag, false));
      } else {
        lastOp = "queue.declare passive missing";
        expectChannelError(ReplyCode.NOT_FOUND, () -> ch.queueDeclarePassive("missing"));
      }
    }

    private void expectChannelError(ReplyCode code, Runnable call) {
      AmqpException e = assertThrows(AmqpException.class, call::run, "expected " + code);
      assertEquals(code, e.replyCode(), () -> "reply: " + e.getMessage());
      channelGone();
    }

    void checkCounts() {
      lastOp = "check counts";
      VirtualHost v = broker.virtualHost(vhost);
      for (String name : QUEUES) {
        MQueue q = queues.get(name);
        assertEquals(q != null, v.queueExists(name), "queue " + name + " exists");
        if (q != null) {
          assertEquals(q.ready.size(), v.queueMessageCount(name), "messages in " + name);
          assertEquals(new QueueDeclareOk(name, q.ready.size(), 0), ch.queueDeclarePassive(name));
        }
      }
    }
  }
}
