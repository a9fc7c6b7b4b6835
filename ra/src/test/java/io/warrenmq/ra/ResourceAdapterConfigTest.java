package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
  void theDefaultQueueWindowIsTwoMebibytes() {
    assertTrue(new WarrenResourceAdapter().getQueueWindowBytes() == 2L * 1024 * 1024);
  }
}
