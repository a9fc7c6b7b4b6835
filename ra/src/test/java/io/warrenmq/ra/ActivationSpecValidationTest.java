package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.InvalidPropertyException;
import org.junit.jupiter.api.Test;

class ActivationSpecValidationTest {

  private static WarrenActivationSpec queueSpec() {
    WarrenActivationSpec spec = new WarrenActivationSpec();
    spec.setDestination("orders");
    spec.setDestinationType("jakarta.jms.Queue");
    return spec;
  }

  private static void assertNames(String property, WarrenActivationSpec spec) {
    InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::validate);
    assertTrue(e.getMessage().contains("'" + property + "'"), e.getMessage());
    assertEquals(property, e.getInvalidPropertyDescriptors()[0].getName());
  }

  @Test
  void aCompleteQueueSpecIsValid() {
    assertDoesNotThrow(queueSpec()::validate);
  }

  @Test
  void aSpecWithoutDestinationNamesDestination() {
    WarrenActivationSpec spec = queueSpec();
    spec.setDestination(null);
    assertNames("destination", spec);
  }

  @Test
  void anUnknownDestinationTypeNamesDestinationType() {
    WarrenActivationSpec spec = queueSpec();
    spec.setDestinationType("jakarta.jms.Nope");
    assertNames("destinationType", spec);
  }

  @Test
  void aMissingDestinationTypeNamesDestinationType() {
    WarrenActivationSpec spec = queueSpec();
    spec.setDestinationType(null);
    assertNames("destinationType", spec);
  }

  @Test
  void aDurableSubscriptionWithoutNameNamesSubscriptionName() {
    WarrenActivationSpec spec = queueSpec();
    spec.setDestinationType("jakarta.jms.Topic");
    spec.setSubscriptionDurability("Durable");
    assertNames("subscriptionName", spec);
  }

  @Test
  void zeroSessionsNamesMaxSession() {
    WarrenActivationSpec spec = queueSpec();
    spec.setMaxSession(0);
    assertNames("maxSession", spec);
  }

  @Test
  void anUnknownAcknowledgeModeNamesIt() {
    WarrenActivationSpec spec = queueSpec();
    spec.setAcknowledgeMode("Client-acknowledge");
    assertNames("acknowledgeMode", spec);
  }

  @Test
  void aValidSelectorIsAcceptedAndAnInvalidOneNamesMessageSelector() {
    WarrenActivationSpec spec = queueSpec();
    spec.setMessageSelector("color = 'red'");
    assertDoesNotThrow(spec::validate);
    spec.setMessageSelector("color = = 'red'");
    assertNames("messageSelector", spec);
  }

  @Test
  void zeroMaxDeliveryAttemptsNamesMaxDeliveryAttempts() {
    WarrenActivationSpec spec = queueSpec();
    spec.setMaxDeliveryAttempts(0);
    assertNames("maxDeliveryAttempts", spec);
  }

  @Test
  void aBlankDeadLetterQueueNamesDeadLetterQueue() {
    WarrenActivationSpec spec = queueSpec();
    spec.setDeadLetterQueue(" ");
    assertNames("deadLetterQueue", spec);
  }

  @Test
  void aNegativeRedeliveryDelayNamesRedeliveryDelay() {
    WarrenActivationSpec spec = queueSpec();
    spec.setRedeliveryDelay(-1L);
    assertNames("redeliveryDelay", spec);
  }

  @Test
  void theRedeliveryDefaultsAreTenAttemptsQueueDlqAndNoDelay() {
    WarrenActivationSpec spec = queueSpec();
    assertEquals(10, spec.getMaxDeliveryAttempts());
    assertEquals("DLQ", spec.getDeadLetterQueue());
    assertEquals(0L, spec.getRedeliveryDelay());
  }
}
