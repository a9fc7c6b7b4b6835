package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagePropertiesTest {

  @Test
  void propertiesConvertAsTheSpecTableSays() throws Exception {
    WarrenMessage m = new WarrenMessage();
    m.setByteProperty("b", (byte) 7);
    m.setStringProperty("s", "42");
    m.setFloatProperty("f", 1.5f);
    assertEquals(7, m.getIntProperty("b"));
    assertEquals(7L, m.getLongProperty("b"));
    assertEquals("7", m.getStringProperty("b"));
    assertEquals(42, m.getIntProperty("s"));
    assertEquals(1.5d, m.getDoubleProperty("f"));
    assertFalse(m.getBooleanProperty("missing"));
    assertThrows(MessageFormatException.class, () -> m.getByteProperty("f"));
    assertThrows(MessageFormatException.class, () -> m.getBooleanProperty("b"));
    assertThrows(NumberFormatException.class, () -> m.getIntProperty("missing"));
  }

  @Test
  void invalidPropertyNamesAndTypesAreRefused() {
    WarrenMessage m = new WarrenMessage();
    assertThrows(IllegalArgumentException.class, () -> m.setStringProperty("", "x"));
    assertThrows(IllegalArgumentException.class, () -> m.setStringProperty("not-valid", "x"));
    assertThrows(IllegalArgumentException.class, () -> m.setStringProperty("AND", "x"));
    assertThrows(
        MessageFormatException.class, () -> m.setObjectProperty("o", new java.util.Date()));
  }

  /**
   * A received message's properties come from its headers when first used: each path (a getter, the
   * names, the encoder of a message sent on, clearProperties) sees exactly the non-provider headers
   * plus JMSXDeliveryCount.
   */
  @Test
  void aReceivedMessageHasItsHeadersAsPropertiesWhicheverWayTheyAreFirstRead() throws Exception {
    BasicProperties props =
        BasicProperties.builder()
            .header(MessageCodec.MESSAGE_TYPE, "text")
            .header(MessageCodec.DELIVERY_COUNT, 2)
            .header("color", "red")
            .header("size", 3L)
            .header("raw", new byte[] {1})
            .build();
    Delivery d = new Delivery("ctag", 1, true, "jms.queue", "q", props, "hi".getBytes());

    WarrenMessage viaNames = MessageCodec.decode(d, null);
    assertEquals(
        java.util.List.of("color", "size", "raw", "JMSXDeliveryCount"),
        java.util.Collections.list(viaNames.getPropertyNames()));

    WarrenMessage viaEncoder = MessageCodec.decode(d, null);
    Map<String, Object> sentOn = MessageCodec.encodeProperties(viaEncoder).build().headers();
    assertEquals("red", sentOn.get("color"));
    assertEquals(3L, sentOn.get("size"));
    assertTrue(sentOn.get("raw") instanceof String, "a byte[] header becomes a String property");
    assertEquals(3, sentOn.get("JMSXDeliveryCount"));
    assertFalse(sentOn.containsKey(MessageCodec.DELIVERY_COUNT));

    WarrenMessage viaGetter = MessageCodec.decode(d, null);
    assertEquals(3, viaGetter.getIntProperty("JMSXDeliveryCount"));
    assertEquals(3L, viaGetter.getLongProperty("size"));

    WarrenMessage cleared = MessageCodec.decode(d, null);
    cleared.clearProperties();
    assertFalse(cleared.propertyExists("color"));
    assertFalse(cleared.getPropertyNames().hasMoreElements());
  }

  @Test
  void aReceivedMessageIsReadOnlyUntilCleared() throws Exception {
    BasicProperties props =
        BasicProperties.builder()
            .header(MessageCodec.MESSAGE_TYPE, "text")
            .header("color", "red")
            .build();
    Delivery d = new Delivery("ctag", 1, false, "jms.queue", "q", props, "hi".getBytes());
    WarrenTextMessage m = (WarrenTextMessage) MessageCodec.decode(d, null);
    assertEquals("hi", m.getText());
    assertEquals("red", m.getStringProperty("color"));
    assertThrows(MessageNotWriteableException.class, () -> m.setText("changed"));
    assertThrows(MessageNotWriteableException.class, () -> m.setStringProperty("color", "blue"));
    m.clearBody();
    m.setText("changed");
    m.clearProperties();
    m.setStringProperty("color", "blue");
    assertEquals("changed", m.getText());
    assertEquals("blue", m.getStringProperty("color"));
  }
}
