package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.ResourceAdapterInternalException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad config properties fail {@code start} with an exception that names the property; defaults that
 * depend on the server the adapter runs in.
 */
@Timeout(20)
class ResourceAdapterConfigTest {

  private static String refused(WarrenResourceAdapter ra) {
    return assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null)).getMessage();
  }

  @Test
  void aQueueWindowBelowOneByteIsRefusedNamingTheProperty() {
    WarrenResourceAdapter ra = new WarrenResourceAdapter();
    ra.setStore("memory");
    ra.setQueueWindowBytes(0L);
    String m = refused(ra);
    assertTrue(m.contains("queueWindowBytes") && m.contains("was 0"), m);
  }

  @Test
  void defaultDurabilityIsPowerLoss() throws Exception {
    assertEquals("POWER_LOSS", new WarrenResourceAdapter().getDurability());
    // the deployment descriptor's default, which servers apply, says the same
    String raXml = java.nio.file.Files.readString(Path.of("src/main/rar/META-INF/ra.xml"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "<config-property-name>durability</config-property-name>\\s*"
                    + "<config-property-type>java.lang.String</config-property-type>\\s*"
                    + "<config-property-value>([A-Z_]+)</config-property-value>")
            .matcher(raXml);
    assertTrue(m.find(), "ra.xml declares durability");
    assertEquals("POWER_LOSS", m.group(1));
  }

  @Test
  void jmxIsOnByDefaultInTheAdapterAndInRaXml() throws Exception {
    assertEquals(Boolean.TRUE, new WarrenResourceAdapter().getJmx());
    String raXml = java.nio.file.Files.readString(Path.of("src/main/rar/META-INF/ra.xml"));
    assertTrue(
        java.util.regex.Pattern.compile(
                "<config-property-name>jmx</config-property-name>\\s*"
                    + "<config-property-type>java.lang.Boolean</config-property-type>\\s*"
                    + "<config-property-value>true</config-property-value>")
            .matcher(raXml)
            .find(),
        "ra.xml declares jmx, default true");
  }

  @Test
  @Timeout(60)
  void theStartedAdapterRegistersAQueueMBeanUnlessJmxIsOff() throws Exception {
    javax.management.MBeanServer server =
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
    for (boolean jmx : new boolean[] {true, false}) {
      WarrenResourceAdapter ra = new WarrenResourceAdapter();
      String name = "ra-jmx-" + jmx + "-" + System.nanoTime();
      ra.setBrokerName(name);
      ra.setStore("memory");
      ra.setJmx(jmx);
      ra.start(null);
      try {
        ra.broker()
            .newConnection("/", null)
            .createChannel()
            .queueDeclare(io.warrenmq.client.QueueSpec.durable("orders"));
        javax.management.ObjectName bean =
            new javax.management.ObjectName(
                "io.warrenmq:type=Queue,broker="
                    + javax.management.ObjectName.quote(name)
                    + ",vhost="
                    + javax.management.ObjectName.quote("/")
                    + ",name="
                    + javax.management.ObjectName.quote("orders"));
        assertEquals(jmx, server.isRegistered(bean), "jmx=" + jmx);
        if (jmx) {
          assertEquals(0L, server.invoke(bean, "countMessages", null, null));
        }
      } finally {
        ra.stop();
      }
    }
  }

  @Test
  void zeroDispatchThreadsAreRefusedNamingTheProperty() {
    WarrenResourceAdapter ra = new WarrenResourceAdapter();
    ra.setStore("memory");
    ra.setDispatchThreads(0);
    String m = refused(ra);
    assertTrue(m.contains("dispatchThreads"), m);
  }

  @Test
  void theDefaultStoreDirectoryIsUnderWildFlysDataDirectory() {
    Map<String, String> props =
        Map.of("jboss.server.data.dir", "/srv/wildfly/data", "com.sun.aas.instanceRoot", "/x");
    assertEquals(
        Path.of("/srv/wildfly/data", "warrenmq").toString(),
        WarrenResourceAdapter.defaultDataDir(props::get));
  }

  @Test
  void theDefaultStoreDirectoryIsUnderPayarasDomainDirectory() {
    Map<String, String> props = Map.of("com.sun.aas.instanceRoot", "/opt/payara/domains/d1");
    assertEquals(
        Path.of("/opt/payara/domains/d1", "warrenmq").toString(),
        WarrenResourceAdapter.defaultDataDir(props::get));
  }

  @Test
  void elsewhereTheDefaultStoreDirectoryIsWarrenmqDataInTheWorkingDirectory() {
    assertEquals(
        Path.of("warrenmq-data").toAbsolutePath().toString(),
        WarrenResourceAdapter.defaultDataDir(name -> null));
  }

  @Test
  void theDefaultQueueWindowIsSixteenMebibytesAsTheEngines() {
    assertEquals(16L * 1024 * 1024, new WarrenResourceAdapter().getQueueWindowBytes());
    assertEquals(
        io.warrenmq.engine.BrokerConfig.DEFAULT_QUEUE_WINDOW_BYTES,
        new WarrenResourceAdapter().getQueueWindowBytes());
  }

  @Test
  void aStoreThatCannotBeOpenedIsReportedWithoutTheJdbcPassword() {
    WarrenResourceAdapter ra = new WarrenResourceAdapter();
    ra.setStore("jdbc");
    ra.setJdbcUrl("jdbc:postgresql://u:s3cret-pw@127.0.0.1:1/db?password=s3cret-pw");
    ra.setJdbcUser("u");
    ra.setJdbcPassword("s3cret-pw");
    String m = refused(ra);
    assertTrue(m.contains("jdbcUrl") && m.contains("u:****@127.0.0.1:1"), m);
    assertFalse(m.contains("s3cret-pw"), m);
  }

  @Test
  @Timeout(120) // opens an H2 store: Hibernate's start-up is slow on a loaded machine
  void theStartLineShowsTheJdbcUrlWithoutItsPassword() throws Exception {
    java.util.List<java.util.logging.LogRecord> records =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger(WarrenResourceAdapter.class.getName());
    logger.addHandler(handler);
    WarrenResourceAdapter ra = new WarrenResourceAdapter();
    ra.setBrokerName("ra-mask-" + System.nanoTime());
    ra.setStore("jdbc");
    ra.setJdbcUrl("jdbc:h2:mem:ra-mask-" + System.nanoTime() + ";PASSWORD=s3cret-pw");
    ra.setJdbcUser("sa");
    ra.setJdbcPassword("s3cret-pw");
    try {
      ra.start(null);
    } finally {
      ra.stop();
      logger.removeHandler(handler);
    }
    String started =
        records.stream()
            .filter(r -> r.getMessage().startsWith("WarrenMQ resource adapter started"))
            .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters()))
            .findFirst()
            .orElseThrow();
    assertTrue(started.contains("PASSWORD=****"), started);
    assertFalse(started.contains("s3cret-pw"), started);
  }
}
