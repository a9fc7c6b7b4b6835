package io.warrenmq.jms;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * The child JVM of {@link InVmBrokerLifecycleTest}: on {@code vm://<broker>?dataDir=<dir>} it
 * leaves one persistent message on queue {@code kept}, sends one to {@code acked} and receives it
 * (AUTO_ACKNOWLEDGE), prints {@code ACKED;} and exits with {@code System.exit(0)} without closing
 * anything: only the JVM's shutdown hooks stand between the ack and the exit.
 */
public final class InVmExitChild {

  private InVmExitChild() {}

  public static void main(String[] args) throws Exception {
    WarrenConnectionFactory f = WarrenConnectionFactory.forUrl(args[0]);
    Connection c = f.createConnection();
    c.start();
    Session s = c.createSession();
    MessageProducer p = s.createProducer(null);
    p.setDeliveryMode(DeliveryMode.PERSISTENT);
    p.send(s.createQueue("kept"), s.createTextMessage("kept"));
    p.send(s.createQueue("acked"), s.createTextMessage("acked"));
    if (s.createConsumer(s.createQueue("acked")).receive(10_000) == null) {
      System.out.println("NOTHING;");
      System.exit(2);
    }
    System.out.println("ACKED;");
    System.out.flush();
    System.exit(0);
  }
}
