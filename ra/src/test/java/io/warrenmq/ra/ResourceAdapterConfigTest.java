package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.ResourceAdapterInternalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad config properties fail {@code start} with an exception that names the property. */
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
  void theDefaultQueueWindowIsTwoMebibytes() {
    assertTrue(new WarrenResourceAdapter().getQueueWindowBytes() == 2L * 1024 * 1024);
  }
}
