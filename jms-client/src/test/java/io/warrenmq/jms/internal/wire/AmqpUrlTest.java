package io.warrenmq.jms.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The {@code amqp://} and {@code amqps://} URL syntax (RabbitMQ's URI spec plus our options). */
class AmqpUrlTest {

  @Test
  void defaultsAreRabbitMqsPortsAndTheRootVirtualHost() {
    AmqpUrl plain = AmqpUrl.parse("amqp://broker.example");
    assertEquals("broker.example", plain.host());
    assertEquals(5672, plain.port());
    assertEquals("/", plain.virtualHost());
    assertNull(plain.user());
    assertFalse(plain.tls());
    AmqpUrl tls = AmqpUrl.parse("amqps://broker.example/");
    assertEquals(5671, tls.port());
    assertEquals("/", tls.virtualHost());
    assertTrue(tls.verifyHost());
    assertEquals(10_000, tls.connectTimeoutMs());
    assertEquals(60, tls.heartbeatSeconds());
  }

  @Test
  void userPasswordAndVirtualHostArePercentDecoded() {
    AmqpUrl u = AmqpUrl.parse("amqp://us%40er:p%3Aa%2Fss+w@[::1]:5673/my%2Fvhost?heartbeat=0");
    assertEquals("us@er", u.user());
    assertEquals("p:a/ss+w", u.password());
    assertEquals("::1", u.host());
    assertEquals(5673, u.port());
    assertEquals("my/vhost", u.virtualHost());
    assertEquals(0, u.heartbeatSeconds());
    assertEquals("amqp://[::1]:5673", u.address());
  }

  @Test
  void toStringNeverShowsThePassword() {
    AmqpUrl u = AmqpUrl.parse("amqp://app:s3cret@h:1/v");
    assertEquals("amqp://app@h:1/v", u.toString());
    assertFalse(u.toString().contains("s3cret"));
  }

  @Test
  void wrongPartsAreNamedWithThePasswordMasked() {
    IllegalArgumentException port =
        assertThrows(IllegalArgumentException.class, () -> AmqpUrl.parse("amqp://u:pw1@h:99999"));
    assertTrue(port.getMessage().contains("port '99999'"), port.getMessage());
    assertFalse(port.getMessage().contains("pw1"), port.getMessage());
    IllegalArgumentException option =
        assertThrows(IllegalArgumentException.class, () -> AmqpUrl.parse("amqp://h?colour=red"));
    assertTrue(option.getMessage().contains("unknown option 'colour'"), option.getMessage());
    IllegalArgumentException tlsOnly =
        assertThrows(
            IllegalArgumentException.class, () -> AmqpUrl.parse("amqp://h?trustStore=/x.p12"));
    assertTrue(tlsOnly.getMessage().contains("needs amqps://"), tlsOnly.getMessage());
    IllegalArgumentException timeout =
        assertThrows(
            IllegalArgumentException.class,
            () -> AmqpUrl.parse("amqps://u:pw2@h?connectTimeout=soon&trustStorePassword=pw3"));
    assertTrue(timeout.getMessage().contains("connectTimeout"), timeout.getMessage());
    assertFalse(timeout.getMessage().contains("pw2"), timeout.getMessage());
    assertFalse(timeout.getMessage().contains("pw3"), timeout.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AmqpUrl.parse("amqp://"));
  }
}
