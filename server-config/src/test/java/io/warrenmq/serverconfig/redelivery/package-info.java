/**
 * The {@code redelivery.war} that {@code RedeliveryIT} (WildFly) and the Payara ITs deploy: MDBs
 * that fail on purpose, a singleton that records what they saw, and a JAX-RS resource that sends
 * messages and reads the dead-letter queue through the WarrenMQ connection factory.
 */
package io.warrenmq.serverconfig.redelivery;
