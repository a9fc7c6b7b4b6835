package io.warrenmq.serverconfig;

import io.warrenmq.serverconfig.defaults.DefaultJmsApplication;
import io.warrenmq.serverconfig.defaults.DefaultJmsResource;
import io.warrenmq.serverconfig.ha.HaOrders;
import io.warrenmq.serverconfig.ha.HaOrdersApplication;
import io.warrenmq.serverconfig.ha.HaOrdersResource;
import io.warrenmq.serverconfig.ha.OrderRefused;
import io.warrenmq.serverconfig.jmx.JmxQueuesApplication;
import io.warrenmq.serverconfig.jmx.JmxQueuesResource;
import io.warrenmq.serverconfig.recovery.Halter;
import io.warrenmq.serverconfig.recovery.HalterRecovery;
import io.warrenmq.serverconfig.recovery.RecoveryApplication;
import io.warrenmq.serverconfig.recovery.RecoveryOrders;
import io.warrenmq.serverconfig.recovery.RecoveryResource;
import io.warrenmq.serverconfig.redelivery.Attempts;
import io.warrenmq.serverconfig.redelivery.DelayedRetryMdb;
import io.warrenmq.serverconfig.redelivery.FlakyMdb;
import io.warrenmq.serverconfig.redelivery.PoisonMdb;
import io.warrenmq.serverconfig.redelivery.RedeliveryApplication;
import io.warrenmq.serverconfig.redelivery.RedeliveryResource;
import io.warrenmq.serverconfig.remote.RemoteOrderMdb;
import io.warrenmq.serverconfig.remote.RemoteOrders;
import io.warrenmq.serverconfig.remote.RemoteOrdersApplication;
import io.warrenmq.serverconfig.remote.RemoteOrdersResource;
import io.warrenmq.serverconfig.remote.Tally;
import io.warrenmq.serverconfig.xa.XaOrders;
import io.warrenmq.serverconfig.xa.XaOrdersApplication;
import io.warrenmq.serverconfig.xa.XaOrdersResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The test WARs that both servers' ITs deploy. Their classes look resources up by logical name in
 * {@code java:comp/env} ({@code jms/warren/ConnectionFactory}, {@code jdbc/warren/OrdersXADS}), as
 * each WAR's {@code WEB-INF/web.xml} declares them, and each WAR carries both servers' mapping of
 * those names to the server's JNDI names: {@code WEB-INF/jboss-web.xml} (WildFly, {@code
 * java:/jms/warren/...}) and {@code WEB-INF/glassfish-web.xml} (Payara, {@code jms/warren/...}),
 * from the test resources beside the WAR's package. Not {@code @Resource(name = ...)}: for a
 * ConnectionFactory or DataSource without a lookup, WildFly injects its own default (Artemis,
 * ExampleDS) and ignores jboss-web.xml.
 */
public final class TestWars {

  /** Deployment name of {@link #xaOrders()}; its JAX-RS root is {@code /xa-orders/api/}. */
  public static final String XA_ORDERS = "xa-orders.war";

  /** Deployment name of {@link #redelivery()}; its JAX-RS root is {@code /redelivery/api/}. */
  public static final String REDELIVERY = "redelivery.war";

  private TestWars() {}

  /** The classes of {@code io.warrenmq.serverconfig.xa}: one JTA transaction over two resources. */
  public static WebArchive xaOrders() {
    return withResourceMappings(
        ShrinkWrap.create(WebArchive.class, XA_ORDERS)
            .addClasses(XaOrders.class, XaOrdersApplication.class, XaOrdersResource.class),
        XaOrders.class.getPackage());
  }

  /** The classes of {@code io.warrenmq.serverconfig.redelivery}: MDBs that fail on purpose. */
  public static WebArchive redelivery() {
    return withResourceMappings(
        ShrinkWrap.create(WebArchive.class, REDELIVERY)
            .addClasses(
                Attempts.class,
                DelayedRetryMdb.class,
                FlakyMdb.class,
                PoisonMdb.class,
                RedeliveryApplication.class,
                RedeliveryResource.class),
        Attempts.class.getPackage());
  }

  /** Deployment name of {@link #jmxQueues()}; its JAX-RS root is {@code /jmx-queues/api/}. */
  public static final String JMX_QUEUES = "jmx-queues.war";

  /** The classes of {@code io.warrenmq.serverconfig.jmx}: reads the broker's queue MBeans. */
  public static WebArchive jmxQueues() {
    return withResourceMappings(
        ShrinkWrap.create(WebArchive.class, JMX_QUEUES)
            .addClasses(JmxQueuesApplication.class, JmxQueuesResource.class),
        JmxQueuesResource.class.getPackage());
  }

  /** Deployment name of {@link #defaultJms()}; its JAX-RS root is {@code /default-jms/api/}. */
  public static final String DEFAULT_JMS = "default-jms.war";

  /**
   * The classes of {@code io.warrenmq.serverconfig.defaults}: a round trip through the Jakarta EE
   * default JMS connection factory. No resource mappings: the default needs none.
   */
  public static WebArchive defaultJms() {
    return ShrinkWrap.create(WebArchive.class, DEFAULT_JMS)
        .addClasses(DefaultJmsApplication.class, DefaultJmsResource.class);
  }

  /** Deployment name of {@link #remoteOrders()}; its JAX-RS root is {@code /remote-orders/api/}. */
  public static final String REMOTE_ORDERS = "remote-orders.war";

  /**
   * The classes of {@code io.warrenmq.serverconfig.remote}: places orders and records each one
   * processed, with the instance, on the broker ({@code RemoteBrokerIT}; {@code
   * PayaraRemoteBrokerIT} adds its own Payara descriptors).
   */
  public static WebArchive remoteOrders() {
    return ShrinkWrap.create(WebArchive.class, REMOTE_ORDERS)
        .addClasses(
            RemoteOrderMdb.class,
            RemoteOrders.class,
            RemoteOrdersApplication.class,
            RemoteOrdersResource.class,
            Tally.class)
        .setWebXML(RemoteOrders.class.getPackage(), "web.xml")
        .addAsWebInfResource(RemoteOrders.class.getPackage(), "jboss-web.xml", "jboss-web.xml");
  }

  public static final String RECOVERY_ORDERS = "recovery-orders.war";

  /**
   * The classes of {@code io.warrenmq.serverconfig.recovery} for a WildFly crash-recovery server
   * ({@code XaRecoveryIT}, {@code RemoteBrokerIT}): its datasource {@code
   * java:/jdbc/warren/RecoveryXADS} comes from the server's configuration.
   */
  public static WebArchive recoveryOrders() {
    return ShrinkWrap.create(WebArchive.class, RECOVERY_ORDERS)
        .addClasses(
            Halter.class,
            HalterRecovery.class,
            RecoveryOrders.class,
            RecoveryApplication.class,
            RecoveryResource.class)
        .addAsWebInfResource(RecoveryOrders.class.getPackage(), "jboss-web.xml", "jboss-web.xml")
        // Narayana's XARecoveryModule, for HalterRecovery.
        .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: org.jboss.jts\n"));
  }

  /** Deployment name of {@link #haOrders()}; its JAX-RS root is {@code /ha-orders/api/}. */
  public static final String HA_ORDERS = "ha-orders.war";

  /**
   * The classes of {@code io.warrenmq.serverconfig.ha}: one JTA transaction per order over the XA
   * datasource and the broker, orders to {@code remote-orders.war}'s MDB ({@code SharedStoreHaIT};
   * WildFly descriptors only).
   */
  public static WebArchive haOrders() {
    return ShrinkWrap.create(WebArchive.class, HA_ORDERS)
        .addClasses(
            HaOrders.class, HaOrdersApplication.class, HaOrdersResource.class, OrderRefused.class)
        .setWebXML(HaOrders.class.getPackage(), "web.xml")
        .addAsWebInfResource(HaOrders.class.getPackage(), "jboss-web.xml", "jboss-web.xml");
  }

  private static WebArchive withResourceMappings(WebArchive war, Package descriptors) {
    return war.setWebXML(descriptors, "web.xml")
        .addAsWebInfResource(descriptors, "jboss-web.xml", "jboss-web.xml")
        .addAsWebInfResource(descriptors, "glassfish-web.xml", "glassfish-web.xml");
  }
}
