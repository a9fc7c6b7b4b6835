package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Equality, text and serialized form of the destination classes, which share a base class. */
class DestinationIdentityTest {

  /** {@code new WarrenQueue("orders")} serialized by the version before the shared base class. */
  private static final String QUEUE_ORDERS_SERIALIZED =
      "rO0ABXNyABtpby53YXJyZW5tcS5qbXMuV2FycmVuUXVldWUAAAAAAAAAAQIAAUwABG5hbWV0ABJMamF2YS9s"
          + "YW5nL1N0cmluZzt4cHQABm9yZGVycw==";

  /** {@code new WarrenTopic("prices.eu")} serialized by that version. */
  private static final String TOPIC_PRICES_SERIALIZED =
      "rO0ABXNyABtpby53YXJyZW5tcS5qbXMuV2FycmVuVG9waWMAAAAAAAAAAQIAAUwABG5hbWV0ABJMamF2YS9s"
          + "YW5nL1N0cmluZzt4cHQACXByaWNlcy5ldQ==";

  @Test
  void destinationsAreEqualByKindAndName() {
    assertEquals(new WarrenQueue("orders"), new WarrenQueue("orders"));
    assertEquals(new WarrenQueue("orders").hashCode(), new WarrenQueue("orders").hashCode());
    assertNotEquals(new WarrenQueue("orders"), new WarrenQueue("invoices"));
    assertNotEquals(new WarrenQueue("orders"), new WarrenTopic("orders"));
    assertNotEquals(new WarrenQueue("jms.temp.1"), new WarrenTemporaryQueue("jms.temp.1", null));
    assertNotEquals(
        new WarrenTemporaryQueue("jms.temp.1", null), new WarrenTemporaryTopic("jms.temp.1", null));
    assertEquals(
        new WarrenTemporaryTopic("jms.temp.1", null), new WarrenTemporaryTopic("jms.temp.1", null));
    assertNotEquals(new WarrenTopic("orders"), null);
  }

  @Test
  void destinationsShowTheirUri() {
    assertEquals("queue://orders", new WarrenQueue("orders").toString());
    assertEquals("topic://prices.eu", new WarrenTopic("prices.eu").toString());
    assertEquals(
        "temp-queue://jms.temp.1", new WarrenTemporaryQueue("jms.temp.1", null).toString());
    assertEquals(
        "temp-topic://jms.temp.2", new WarrenTemporaryTopic("jms.temp.2", null).toString());
  }

  @Test
  void emptyOrNullNamesAreRefusedNamingTheKind() {
    IllegalArgumentException q =
        assertThrows(IllegalArgumentException.class, () -> new WarrenQueue(""));
    assertEquals("queue name must not be empty", q.getMessage());
    IllegalArgumentException t =
        assertThrows(IllegalArgumentException.class, () -> new WarrenTopic(""));
    assertEquals("topic name must not be empty", t.getMessage());
    assertThrows(NullPointerException.class, () -> new WarrenQueue(null));
  }

  @Test
  void queuesAndTopicsKeepTheSerializedFormOfEarlierVersions() throws Exception {
    assertArrayEquals(
        Base64.getDecoder().decode(QUEUE_ORDERS_SERIALIZED), serialize(new WarrenQueue("orders")));
    assertArrayEquals(
        Base64.getDecoder().decode(TOPIC_PRICES_SERIALIZED),
        serialize(new WarrenTopic("prices.eu")));
    assertEquals(new WarrenQueue("orders"), deserialize(QUEUE_ORDERS_SERIALIZED));
    assertEquals(new WarrenTopic("prices.eu"), deserialize(TOPIC_PRICES_SERIALIZED));
  }

  @Test
  void temporaryDestinationsAreNotSerializable() {
    assertFalse(Serializable.class.isAssignableFrom(WarrenTemporaryQueue.class));
    assertFalse(Serializable.class.isAssignableFrom(WarrenTemporaryTopic.class));
    assertTrue(Serializable.class.isAssignableFrom(WarrenQueue.class));
  }

  @Test
  void aTemporaryDestinationReceivedInAMessageCannotBeDeleted() {
    JMSException e =
        assertThrows(
            JMSException.class, () -> new WarrenTemporaryQueue("jms.temp.3", null).delete());
    assertEquals(
        "only the connection that created temp-queue://jms.temp.3 may delete it", e.getMessage());
  }

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static Object deserialize(String base64) throws Exception {
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
      return in.readObject();
    }
  }
}
