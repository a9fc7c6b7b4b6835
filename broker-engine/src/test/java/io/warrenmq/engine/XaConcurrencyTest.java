package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.XA_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Branches of several channels at once on the same queues: every committed branch's work is there
 * exactly once and every rolled-back branch's acked message is back, none lost or doubled.
 */
@Timeout(60)
class XaConcurrencyTest {
  private static final int THREADS = 4;
  private static final int BRANCHES = 200;

  @Test
  void concurrentBranchesCommitAndRollBackExactlyTheirOwnWork() throws Exception {
    try (Broker broker = TestSupport.newBroker()) {
      Channel setup = broker.newConnection("/", null).createChannel();
      setup.queueDeclare(QueueSpec.durable("in"));
      setup.queueDeclare(QueueSpec.durable("out"));
      for (int i = 0; i < THREADS * BRANCHES; i++) {
        setup.basicPublish("", "in", false, null, bytes("m" + i));
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    Channel ch = broker.newConnection("/", null).createChannel();
                    for (int i = 0; i < BRANCHES; i++) {
                      Xid xid = TestXid.of("t" + thread + "-" + i);
                      ch.dtxStart(xid, TMNOFLAGS);
                      GetResponse got = ch.basicGet("in", false);
                      ch.basicAck(got.delivery().deliveryTag(), false);
                      ch.basicPublish("", "out", false, null, bytes("p"));
                      ch.dtxEnd(xid, TMSUCCESS);
                      if (i % 2 == 0) {
                        assertEquals(XA_OK, ch.dtxPrepare(xid));
                        ch.dtxCommit(xid, false);
                      } else {
                        ch.dtxRollback(xid);
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      VirtualHost vhost = broker.virtualHost("/");
      assertEquals(THREADS * BRANCHES / 2, vhost.queueMessageCount("out"));
      assertEquals(THREADS * BRANCHES / 2, vhost.queueMessageCount("in"));
    }
  }
}
