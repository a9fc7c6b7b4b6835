package io.warrenmq.jms;

import jakarta.jms.ConnectionMetaData;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** Provider metadata (Jakarta Messaging 3.1, WarrenMQ). Immutable. */
final class WarrenConnectionMetaData implements ConnectionMetaData {

  static final WarrenConnectionMetaData INSTANCE = new WarrenConnectionMetaData();

  private WarrenConnectionMetaData() {}

  @Override
  public String getJMSVersion() {
    return "3.1";
  }

  @Override
  public int getJMSMajorVersion() {
    return 3;
  }

  @Override
  public int getJMSMinorVersion() {
    return 1;
  }

  @Override
  public String getJMSProviderName() {
    return "WarrenMQ";
  }

  @Override
  public String getProviderVersion() {
    String v = WarrenConnectionMetaData.class.getPackage().getImplementationVersion();
    return v == null ? "0.1" : v;
  }

  @Override
  public int getProviderMajorVersion() {
    return 0;
  }

  @Override
  public int getProviderMinorVersion() {
    return 1;
  }

  /**
   * The JMS-defined properties this provider supports (Jakarta Messaging 3.5.9): {@code
   * JMSXDeliveryCount}, set by the provider on every received message (3.5.11), and {@code
   * JMSXGroupID} and {@code JMSXGroupSeq}, which every provider must support: set by the sending
   * client, they travel with the message like any other property. The optional ones set by a
   * provider ({@code JMSXUserID}, {@code JMSXAppID}, {@code JMSXProducerTXID}, {@code
   * JMSXConsumerTXID}, {@code JMSXRcvTimestamp}, {@code JMSXState}) are not set.
   */
  @Override
  public Enumeration<String> getJMSXPropertyNames() {
    return Collections.enumeration(List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq"));
  }
}
