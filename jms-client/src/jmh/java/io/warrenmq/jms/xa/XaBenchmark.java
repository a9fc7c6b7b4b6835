package io.warrenmq.jms.xa;

import io.warrenmq.engine.Channel;
import io.warrenmq.jms.WarrenConnection;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.jms.WarrenXASession;
import io.warrenmq.jms.internal.InVmBrokers;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * XA against local transactions (issue 6), one op = one transaction that sends one 1 KB persistent
 * message to a durable queue of a durable broker ({@code vm://...?dataDir=}, H2 store) and inserts
 * one row into a separate H2 file database:
 *
 * <ul>
 *   <li>{@link #xaTwoPhase}: Narayana (file object store) with WarrenMQ's and H2's XAResources
 *       enlisted: start, end, prepare of both, the transaction log written, commit of both.
 *   <li>{@link #localTransactions}: the same work in a transacted JMS session ({@code commit()})
 *       and a JDBC connection ({@code commit()}), one after the other, without atomicity.
 * </ul>
 *
 * <p>Where the time goes: each XAResource call of {@link #xaTwoPhase} is timed; the mean per
 * transaction is printed at the end of the trial ({@code XA TIME ...} lines), beside the whole
 * {@code TransactionManager.commit}.
 *
 * <p>The queue is purged after each iteration.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 5)
public class XaBenchmark {

  static final String BROKER = "xa-bench";

  /** Nanoseconds spent per operation name, and how often. */
  static final Map<String, LongAdder> NANOS = new ConcurrentHashMap<>();

  static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  static void time(String what, long startNanos) {
    NANOS.computeIfAbsent(what, k -> new LongAdder()).add(System.nanoTime() - startNanos);
    COUNTS.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  /** The broker, the database and Narayana, once per trial. */
  @State(Scope.Benchmark)
  public static class Env {
    Path dir;
    TransactionManager tm;
    WarrenConnectionFactory factory;
    XADataSource db;

    @Setup(Level.Trial)
    public void open() throws Exception {
      dir = Files.createTempDirectory("xa-bench");
      tm = XaSupport.narayana(dir.resolve("narayana"), "xa-bench");
      factory = WarrenConnectionFactory.forUrl("vm://" + BROKER + "?dataDir=" + dir.resolve("mq"));
      db = XaSupport.h2(dir.resolve("db"));
    }

    @TearDown(Level.Iteration)
    public void purge() {
      try (io.warrenmq.engine.Connection c =
          InVmBrokers.getOrStart(BROKER).newConnection("/", "purge")) {
        Channel ch = c.createChannel();
        ch.queuePurge("xa-bench");
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      InVmBrokers.stop(BROKER);
      Map<String, Long> sorted = new TreeMap<>();
      NANOS.forEach((k, v) -> sorted.put(k, v.sum()));
      sorted.forEach(
          (k, v) ->
              System.out.printf(
                  "XA TIME %-28s %8.1f us mean over %d calls%n",
                  k, v / 1000.0 / COUNTS.get(k).sum(), COUNTS.get(k).sum()));
    }
  }

  /** One thread's sessions and database connections. */
  @State(Scope.Thread)
  public static class Client {
    WarrenConnection connection;
    WarrenXASession xa;
    XAResource warrenXa;
    MessageProducer xaProducer;
    XAConnection dbXa;
    XAResource dbXaResource;
    Connection dbXaHandle; // kept open: closing H2's handle inside a branch ends the branch
    Session local;
    MessageProducer localProducer;
    Connection localDb;
    BytesMessage xaMessage;
    BytesMessage localMessage;
    long row;

    @Setup(Level.Trial)
    public void open(Env env) throws Exception {
      connection = env.factory.createXAConnection();
      xa = connection.createXASession();
      Session s = xa.getSession();
      xaProducer = s.createProducer(s.createQueue("xa-bench"));
      xaProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
      xaMessage = s.createBytesMessage();
      xaMessage.writeBytes(new byte[1024]);
      warrenXa = new Timed("warren", xa.getXAResource());
      dbXa = env.db.getXAConnection();
      dbXaResource = new Timed("h2", dbXa.getXAResource());
      dbXaHandle = dbXa.getConnection();
      local = connection.createSession(Session.SESSION_TRANSACTED);
      localProducer = local.createProducer(local.createQueue("xa-bench"));
      localProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
      localMessage = local.createBytesMessage();
      localMessage.writeBytes(new byte[1024]);
      localDb = env.db.getXAConnection().getConnection();
      localDb.setAutoCommit(false);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      connection.close();
      dbXa.close();
      localDb.close();
    }
  }

  @Benchmark
  public void xaTwoPhase(Env env, Client c) throws Exception {
    env.tm.begin();
    Transaction tx = env.tm.getTransaction();
    tx.enlistResource(c.warrenXa);
    tx.enlistResource(c.dbXaResource);
    c.xaProducer.send(c.xaMessage);
    try (PreparedStatement ps = c.dbXaHandle.prepareStatement("INSERT INTO T VALUES (?)")) {
      ps.setString(1, "xa-" + c.row++);
      ps.executeUpdate();
    }
    long t = System.nanoTime();
    env.tm.commit();
    time("tm.commit (all of 2PC)", t);
  }

  @Benchmark
  public void localTransactions(Client c) throws Exception {
    c.localProducer.send(c.localMessage);
    c.local.commit();
    try (PreparedStatement ps = c.localDb.prepareStatement("INSERT INTO T VALUES (?)")) {
      ps.setString(1, "local-" + c.row++);
      ps.executeUpdate();
    }
    c.localDb.commit();
  }

  /** Times each call of an XAResource. */
  static final class Timed implements XAResource {
    private final String name;
    private final XAResource r;

    Timed(String name, XAResource r) {
      this.name = name;
      this.r = r;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
      long t = System.nanoTime();
      r.start(xid, flags);
      time(name + ".start", t);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
      long t = System.nanoTime();
      r.end(xid, flags);
      time(name + ".end", t);
    }

    @Override
    public int prepare(Xid xid) throws XAException {
      long t = System.nanoTime();
      int vote = r.prepare(xid);
      time(name + ".prepare", t);
      return vote;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
      long t = System.nanoTime();
      r.commit(xid, onePhase);
      time(name + ".commit", t);
    }

    @Override
    public void rollback(Xid xid) throws XAException {
      r.rollback(xid);
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
      return r.recover(flag);
    }

    @Override
    public void forget(Xid xid) throws XAException {
      r.forget(xid);
    }

    @Override
    public int getTransactionTimeout() throws XAException {
      return r.getTransactionTimeout();
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
      return r.setTransactionTimeout(seconds);
    }

    @Override
    public boolean isSameRM(XAResource other) throws XAException {
      return other == this;
    }
  }
}
