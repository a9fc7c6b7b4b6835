package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class TransactedSessionTest extends JmsTestSupport {

  @Test
  void sendsAreInvisibleUntilCommit() throws Exception {
    try (Connection c = startedConnection()) {
      Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
      Session reader = c.createSession();
      Queue q = tx.createQueue("tx-send");
      MessageProducer p = tx.createProducer(q);
      MessageConsumer consumer = reader.createConsumer(q);
      p.send(tx.createTextMessage("one"));
      assertNull(consumer.receive(200), "an uncommitted send must not be visible");
      tx.commit();
      assertEquals("one", ((TextMessage) consumer.receive(5_000)).getText());
    }
  }

  @Test
  void rollbackDiscardsSends() throws Exception {
    try (Connection c = startedConnection()) {
      Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
      Queue q = tx.createQueue("tx-rollback-send");
      tx.createProducer(q).send(tx.createTextMessage("discarded"));
      tx.rollback();
      tx.createProducer(q).send(tx.createTextMessage("kept"));
      tx.commit();
      MessageConsumer consumer = c.createSession().createConsumer(q);
      assertEquals("kept", ((TextMessage) consumer.receive(5_000)).getText());
      assertNull(consumer.receive(200));
    }
  }

  @Test
  void rollbackRedeliversConsumedMessagesMarkedRedelivered() throws Exception {
    try (Connection c = startedConnection()) {
      Session plain = c.createSession();
      Queue q = plain.createQueue("tx-receive");
      plain.createProducer(q).send(plain.createTextMessage("work"));
      Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
      MessageConsumer consumer = tx.createConsumer(q);
      TextMessage first = (TextMessage) consumer.receive(5_000);
      assertFalse(first.getJMSRedelivered());
      tx.rollback();
      TextMessage again = (TextMessage) consumer.receive(5_000);
      assertEquals("work", again.getText());
      assertTrue(again.getJMSRedelivered());
      assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
      tx.commit();
      assertNull(consumer.receive(200), "a committed receive must not come back");
    }
  }

  @Test
  void commitOnANonTransactedSessionIsAnIllegalState() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      assertThrows(IllegalStateException.class, s::commit);
      assertThrows(IllegalStateException.class, s::rollback);
    }
  }
}
