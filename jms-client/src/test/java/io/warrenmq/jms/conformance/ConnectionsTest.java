package io.warrenmq.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.WarrenConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Messaging 3.1, section 6.1 "Connections": client identifier (6.1.2), starting and pausing
 * delivery (6.1.4, 6.1.5), ConnectionMetaData (6.1.6), closing a connection (6.1.8).
 */
@Timeout(30)
class ConnectionsTest extends ConformanceSupport {

  private interface Call {
    void run() throws Exception;
  }

  private static void assertIllegalState(String what, Call call) {
    assertThrows(IllegalStateException.class, call::run, what + " on a closed connection");
  }

  @Test
  @DisplayName(
      "6.1.8: every method of a closed connection but close() throws IllegalStateException")
  void aClosedConnectionThrowsIllegalStateExceptionFromEveryMethodButClose() throws JMSException {
    Connection c = factory.createConnection();
    c.setClientID("closed-" + UUID.randomUUID());
    c.close();
    assertIllegalState("getClientID", c::getClientID);
    assertIllegalState("setClientID", () -> c.setClientID("other"));
    assertIllegalState("getMetaData", c::getMetaData);
    assertIllegalState("getExceptionListener", c::getExceptionListener);
    assertIllegalState("setExceptionListener", () -> c.setExceptionListener(e -> {}));
    assertIllegalState("start", c::start);
    assertIllegalState("stop", c::stop);
    assertIllegalState("createSession()", () -> c.createSession());
    assertIllegalState("createSession(int)", () -> c.createSession(Session.AUTO_ACKNOWLEDGE));
    assertIllegalState(
        "createSession(boolean, int)", () -> c.createSession(false, Session.AUTO_ACKNOWLEDGE));
    assertIllegalState(
        "createSharedConnectionConsumer",
        () -> c.createSharedConnectionConsumer(null, "s", null, null, 1));
    assertDoesNotThrow(c::close, "closing a closed connection must not throw");
  }

  @Test
  @DisplayName("6.1.8: closing a connection closes its sessions, producers and consumers")
  void closingAConnectionClosesItsSessionsProducersAndConsumers() throws JMSException {
    Connection c = startedConnection();
    Session s = c.createSession();
    Queue q = s.createQueue(unique("closed-parts"));
    var producer = s.createProducer(q);
    MessageConsumer consumer = s.createConsumer(q);
    var browser = s.createBrowser(q);
    Message made = s.createMessage();
    c.close();
    assertThrows(IllegalStateException.class, s::createMessage);
    assertThrows(IllegalStateException.class, producer::getDestination);
    assertThrows(IllegalStateException.class, () -> producer.send(made));
    assertThrows(IllegalStateException.class, consumer::receiveNoWait);
    assertThrows(IllegalStateException.class, consumer::getMessageSelector);
    assertThrows(IllegalStateException.class, browser::getEnumeration);
    assertDoesNotThrow(s::close);
    assertDoesNotThrow(producer::close);
    assertDoesNotThrow(consumer::close);
    assertDoesNotThrow(browser::close);
  }

  @Test
  @DisplayName("6.1.8: acknowledge() of a message received by a closed connection throws")
  void acknowledgeOfAMessageOfAClosedConnectionThrowsIllegalStateException() throws JMSException {
    Connection c = startedConnection();
    Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
    Queue q = s.createQueue(unique("ack-after-close"));
    s.createProducer(q).send(s.createTextMessage("one"));
    Message m = s.createConsumer(q).receive(5_000);
    assertNotNull(m);
    c.close();
    assertThrows(IllegalStateException.class, m::acknowledge);
    assertEquals("one", ((TextMessage) m).getText(), "the message itself stays usable");
  }

  @Test
  @DisplayName("6.1.6: getJMSXPropertyNames lists JMSXDeliveryCount, JMSXGroupID, JMSXGroupSeq")
  void metaDataListsTheMandatoryAndGroupJmsxProperties() throws JMSException {
    try (Connection c = factory.createConnection()) {
      ConnectionMetaData md = c.getMetaData();
      List<Object> names = Collections.list(md.getJMSXPropertyNames());
      assertTrue(names.contains("JMSXDeliveryCount"), names.toString());
      assertTrue(names.contains("JMSXGroupID"), names.toString());
      assertTrue(names.contains("JMSXGroupSeq"), names.toString());
      assertEquals(3, md.getJMSMajorVersion());
      assertEquals(1, md.getJMSMinorVersion());
      assertEquals("3.1", md.getJMSVersion());
    }
  }

  @Test
  @DisplayName("6.1.2: a JMSContext of a factory configured with a client ID returns it")
  void aContextOfAFactoryWithAClientIdReturnsIt() throws JMSException {
    String id = "configured-" + UUID.randomUUID();
    WarrenConnectionFactory configured =
        WarrenConnectionFactory.forUrl("vm://" + unique("client-id") + "?clientID=" + id);
    try (JMSContext context = configured.createContext()) {
      assertEquals(id, context.getClientID());
      try (JMSContext second = context.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
        assertEquals(id, second.getClientID());
      }
    }
    try (JMSContext context = configured.createContext("guest", "guest")) {
      assertEquals(id, context.getClientID());
    }
    try (JMSContext context = configured.createXAContext()) {
      assertEquals(id, context.getClientID());
    }
    try (JMSContext context = configured.withRedeliveryDelay(10).createContext()) {
      assertEquals(id, context.getClientID());
    }
    try (Connection c = configured.createConnection()) {
      assertEquals(id, c.getClientID());
    }
  }

  @Test
  @DisplayName("6.1.2: a JMSContext of a JNDI connection factory with clientID returns it")
  void aContextOfAJndiFactoryWithAClientIdReturnsIt() throws Exception {
    String id = "jndi-" + UUID.randomUUID();
    java.util.Hashtable<String, String> env = new java.util.Hashtable<>();
    env.put(
        javax.naming.Context.INITIAL_CONTEXT_FACTORY,
        "io.warrenmq.jms.WarrenInitialContextFactory");
    env.put("connectionFactory.cf", "vm://" + unique("jndi-client-id") + "?clientID=" + id);
    javax.naming.Context jndi = new javax.naming.InitialContext(env);
    jakarta.jms.ConnectionFactory cf = (jakarta.jms.ConnectionFactory) jndi.lookup("cf");
    try (JMSContext context = cf.createContext(JMSContext.SESSION_TRANSACTED)) {
      assertEquals(id, context.getClientID());
    }
  }

  @Test
  @DisplayName("6.1.8: Connection.close() in a MessageListener throws; the connection stays usable")
  void closeOfTheOwnConnectionInAListenerThrowsAndTheConnectionStaysUsable() throws Exception {
    Connection c = startedConnection();
    Session s = c.createSession();
    Queue q = s.createQueue(unique("listener-close"));
    AtomicReference<Exception> thrown = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    s.createConsumer(q)
        .setMessageListener(
            m -> {
              try {
                c.close();
              } catch (Exception e) {
                thrown.set(e);
              }
              done.countDown();
            });
    Session sender = c.createSession();
    sender.createProducer(q).send(sender.createTextMessage("x"));
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, thrown.get());
    assertNull(assertDoesNotThrow(() -> c.getClientID()), "the connection stays open");
    Queue other = sender.createQueue(unique("still-usable"));
    sender.createProducer(other).send(sender.createTextMessage("after"));
    assertEquals("after", ((TextMessage) sender.createConsumer(other).receive(5_000)).getText());
    c.close();
  }

  @Test
  @DisplayName("6.1.5: Connection.stop() in a MessageListener throws; delivery goes on")
  void stopOfTheOwnConnectionInAListenerThrowsAndDeliveryGoesOn() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue(unique("listener-stop"));
      List<Exception> thrown = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch two = new CountDownLatch(2);
      s.createConsumer(q)
          .setMessageListener(
              m -> {
                try {
                  c.stop();
                } catch (Exception e) {
                  thrown.add(e);
                }
                two.countDown();
              });
      Session sender = c.createSession();
      var p = sender.createProducer(q);
      p.send(sender.createTextMessage("1"));
      p.send(sender.createTextMessage("2"));
      assertTrue(two.await(10, TimeUnit.SECONDS), "the connection was not stopped");
      assertEquals(2, thrown.size());
      thrown.forEach(e -> assertInstanceOf(IllegalStateException.class, e));
    }
  }
}
