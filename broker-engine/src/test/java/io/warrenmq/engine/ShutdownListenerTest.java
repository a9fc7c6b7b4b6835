package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.ReplyCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ShutdownListenerTest {

  @Test
  void aClientCloseTellsTheListenerWithoutCause() {
    try (Broker broker = TestSupport.newBroker()) {
      Connection c = broker.newConnection("/", null);
      List<AmqpException> causes = new CopyOnWriteArrayList<>();
      c.addShutdownListener(causes::add);
      c.close();
      c.close();
      assertEquals(1, causes.size(), "told once");
      assertNull(causes.get(0));
    }
  }

  @Test
  void aHardErrorTellsTheListenerItsReplyCode() {
    try (Broker broker = TestSupport.newBroker()) {
      Connection c = broker.newConnection("/", null);
      List<AmqpException> causes = new CopyOnWriteArrayList<>();
      c.addShutdownListener(causes::add);
      TestSupport.assertAmqpError(
          ReplyCode.COMMAND_INVALID,
          () -> c.createChannel().exchangeDeclare(ExchangeSpec.durable("x", "no-such-type")));
      assertEquals(1, causes.size());
      assertEquals(ReplyCode.COMMAND_INVALID, causes.get(0).replyCode());
    }
  }

  @Test
  void aBrokerShutdownTellsTheListenerConnectionForced() {
    Broker broker = TestSupport.newBroker();
    Connection c = broker.newConnection("/", null);
    List<AmqpException> causes = new CopyOnWriteArrayList<>();
    c.addShutdownListener(causes::add);
    broker.close();
    assertEquals(ReplyCode.CONNECTION_FORCED, causes.get(0).replyCode());
  }

  @Test
  void aListenerAddedAfterCloseIsToldAtOnce() {
    try (Broker broker = TestSupport.newBroker()) {
      Connection c = broker.newConnection("/", null);
      c.close();
      List<AmqpException> causes = new CopyOnWriteArrayList<>();
      c.addShutdownListener(causes::add);
      assertEquals(1, causes.size());
    }
  }
}
