package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adapter's queue MBeans in WildFly (issue 18, "Inside WildFly and Payara"): with the adapter's
 * default {@code jmx = true}, each queue of the embedded broker is an MBean in WildFly's platform
 * MBean server (what JConsole connects to), and {@code countMessages} counts what a JMS producer
 * sent. Deploys the RAR and {@code jmx-queues.war} ({@link TestWars#jmxQueues()}).
 */
@ExtendWith(ArquillianExtension.class)
class JmxQueueIT {
  private final TestApi api =
      new TestApi(
          URI.create(
              "http://127.0.0.1:"
                  + (8080 + Integer.getInteger("warren.it.port.offset", 0))
                  + "/jmx-queues/api/"));

  @Deployment(name = WarrenDeployments.RAR, order = 1, testable = false)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = TestWars.JMX_QUEUES, order = 2, testable = false)
  static WebArchive jmxQueuesWar() {
    return TestWars.jmxQueues();
  }

  private String ok(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r::body);
    return r.body();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aJmsQueueIsAnMBeanWhoseCountMessagesCountsWhatWasSent() throws Exception {
    String queue = "jmx-it-" + System.nanoTime();
    ok(api.call("POST", "send?queue=" + queue + "&n=3"));
    String beans = ok(api.call("GET", "beans"));
    assertTrue(
        beans.contains(
            "io.warrenmq:broker=\"warren\",name=\"" + queue + "\",type=Queue,vhost=\"/\""),
        beans);
    assertTrue(beans.contains("io.warrenmq:name=\"warren\",type=Broker"), beans);
    assertEquals("3", ok(api.call("GET", "count?queue=" + queue)));
    assertEquals("0", ok(api.call("GET", "count?queue=" + queue + "&filter=JMSPriority%3E9")));
  }
}
