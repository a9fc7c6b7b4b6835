package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import javax.transaction.xa.XAResource;

/**
 * The child JVM of {@link XaPreparedBranchRecoveryTest}'s kill test: fills queue {@code in} with
 * {@code a}, {@code b}; in branch {@link XaPreparedBranchRecoveryTest#XID} acks {@code a} and
 * publishes {@code p1} to {@code out}; prepares; prints {@code PREPARED;} and waits to be killed.
 *
 * <p>Arguments: {@code h2 <dataDir>} or {@code pg <schema>}.
 */
public final class XaKillChild {
  private XaKillChild() {}

  public static void main(String[] args) throws Exception {
    JdbcStoreConfig config =
        args[0].equals("h2") ? JdbcStoreConfig.h2(Path.of(args[1])) : Databases.postgres(args[1]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    Broker broker = new Broker(BrokerConfig.named("xa-child"), JdbcMessageStore.open(config, "c"));
    Channel ch = broker.newConnection("/", "xa-child").createChannel();
    ch.queueDeclare(QueueSpec.durable("in"));
    ch.queueDeclare(QueueSpec.durable("out"));
    BasicProperties persistent =
        BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
    ch.confirmSelect();
    ch.basicPublish("", "in", false, persistent, "a".getBytes(StandardCharsets.UTF_8));
    ch.basicPublish("", "in", false, persistent, "b".getBytes(StandardCharsets.UTF_8));
    ch.waitForConfirmsOrDie(10_000);
    Channel xa = broker.newConnection("/", "xa-child").createChannel();
    xa.dtxStart(XaPreparedBranchRecoveryTest.XID, XAResource.TMNOFLAGS);
    GetResponse a = xa.basicGet("in", false);
    xa.basicAck(a.delivery().deliveryTag(), false);
    xa.basicPublish("", "out", false, persistent, "p1".getBytes(StandardCharsets.UTF_8));
    xa.dtxEnd(XaPreparedBranchRecoveryTest.XID, XAResource.TMSUCCESS);
    if (xa.dtxPrepare(XaPreparedBranchRecoveryTest.XID) != XAResource.XA_OK) {
      throw new IllegalStateException("prepare did not answer XA_OK");
    }
    out.println("PREPARED;");
    new CountDownLatch(1).await(); // until SIGKILL
  }
}
