package io.warrenmq.jms.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wire scenarios against WarrenMQ's own server, started in-process on an ephemeral loopback
 * port in front of an in-memory broker, plus what only WarrenMQ offers over the wire: broker-side
 * selectors ({@code warrenmq.selectors}).
 */
class WarrenServerWireTest extends WireScenarios {
  private static Broker broker;
  private static WarrenServer server;

  @BeforeAll
  static void startServer() {
    broker = new Broker(BrokerConfig.named("wire-jms"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  @AfterAll
  static void stopServer() {
    server.close();
    broker.close();
  }

  @Override
  int automaticPrefetch() {
    return 1_000;
  }

  @Override
  int heldOfLargeMessages() {
    return 2;
  }

  @Override
  String hostAndPort() {
    return "127.0.0.1:" + server.port();
  }

  @Test
  void aQueueConsumerWithASelectorGetsOnlyMatchingMessagesOverTheWire() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue(unique("wire.sel"));
      MessageConsumer red = s.createConsumer(q, "colour = 'red'");
      MessageProducer p = s.createProducer(q);
      for (String colour : new String[] {"blue", "red", "green", "red"}) {
        TextMessage m = s.createTextMessage(colour);
        m.setStringProperty("colour", colour);
        p.send(m);
      }
      assertEquals("red", ((TextMessage) red.receive(10_000)).getText());
      assertEquals("red", ((TextMessage) red.receive(10_000)).getText());
      assertNull(red.receive(300));
      red.close();
      MessageConsumer rest = s.createConsumer(q);
      assertEquals("blue", ((TextMessage) rest.receive(10_000)).getText());
      assertEquals("green", ((TextMessage) rest.receive(10_000)).getText());
    }
  }

  @Test
  void aTopicSubscriberWithASelectorGetsOnlyMatchingMessagesOverTheWire() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Topic t = s.createTopic(unique("wire.tsel"));
      MessageConsumer big = s.createConsumer(t, "size > 10");
      MessageProducer p = s.createProducer(t);
      for (int size : new int[] {5, 50, 7}) {
        TextMessage m = s.createTextMessage("size " + size);
        m.setIntProperty("size", size);
        p.send(m);
      }
      TextMessage got = (TextMessage) big.receive(10_000);
      assertNotNull(got);
      assertEquals("size 50", got.getText());
      assertNull(big.receive(300));
    }
  }

  private record TestXid(int formatId, byte[] gtrid, byte[] bqual)
      implements javax.transaction.xa.Xid {
    @Override
    public int getFormatId() {
      return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
      return gtrid;
    }

    @Override
    public byte[] getBranchQualifier() {
      return bqual;
    }
  }

  @Test
  void anXaBranchOverTheWirePublishesAtCommitAndNotAtRollback() throws Exception {
    try (jakarta.jms.XAConnection c = factory().createXAConnection()) {
      c.start();
      jakarta.jms.XASession xs = c.createXASession();
      javax.transaction.xa.XAResource xa = xs.getXAResource();
      Queue q = xs.getSession().createQueue(unique("wire.xa"));
      MessageConsumer consumer = xs.getSession().createConsumer(q);
      MessageProducer p = xs.getSession().createProducer(q);

      TestXid rolledBack = new TestXid(7, "g-rb".getBytes(), "b".getBytes());
      xa.start(rolledBack, javax.transaction.xa.XAResource.TMNOFLAGS);
      p.send(xs.getSession().createTextMessage("never"));
      xa.end(rolledBack, javax.transaction.xa.XAResource.TMSUCCESS);
      assertEquals(javax.transaction.xa.XAResource.XA_OK, xa.prepare(rolledBack));
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          new byte[][] {"g-rb".getBytes()},
          java.util.Arrays.stream(
                  xa.recover(
                      javax.transaction.xa.XAResource.TMSTARTRSCAN
                          | javax.transaction.xa.XAResource.TMENDRSCAN))
              .map(javax.transaction.xa.Xid::getGlobalTransactionId)
              .filter(g -> new String(g).equals("g-rb"))
              .toArray(byte[][]::new));
      xa.rollback(rolledBack);

      TestXid committed = new TestXid(7, "g-ok".getBytes(), "b".getBytes());
      xa.start(committed, javax.transaction.xa.XAResource.TMNOFLAGS);
      p.send(xs.getSession().createTextMessage("kept"));
      xa.end(committed, javax.transaction.xa.XAResource.TMSUCCESS);
      assertNull(consumer.receive(300), "invisible before commit");
      xa.commit(committed, true);
      assertEquals("kept", ((TextMessage) consumer.receive(10_000)).getText());
      assertNull(consumer.receive(300), "the rolled back one never arrives");

      javax.transaction.xa.XAException unknown =
          org.junit.jupiter.api.Assertions.assertThrows(
              javax.transaction.xa.XAException.class, () -> xa.commit(rolledBack, false));
      assertEquals(javax.transaction.xa.XAException.XAER_NOTA, unknown.errorCode);
    }
  }

  @Test
  void theJndiBootstrapBindsAnAmqpUrlFactory() throws Exception {
    java.util.Hashtable<String, String> env = new java.util.Hashtable<>();
    env.put(
        javax.naming.Context.INITIAL_CONTEXT_FACTORY,
        "io.warrenmq.jms.WarrenInitialContextFactory");
    env.put("connectionFactory.remote", "amqp://guest:guest@" + hostAndPort() + "?prefetch=5");
    String name = unique("wire.jndi");
    env.put("queue.orders", name);
    javax.naming.Context jndi = new javax.naming.InitialContext(env);
    jakarta.jms.ConnectionFactory f = (jakarta.jms.ConnectionFactory) jndi.lookup("remote");
    try (Connection c = f.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = (Queue) jndi.lookup("orders");
      s.createProducer(q).send(s.createTextMessage("via jndi"));
      assertEquals("via jndi", ((TextMessage) s.createConsumer(q).receive(10_000)).getText());
    }
  }
}
