/**
 * The {@code recovery-orders.war} that {@code XaRecoveryIT} deploys on its crash server: an EJB
 * that sends (or consumes) an order message through WarrenMQ and writes the order row through an H2
 * XA datasource in one JTA transaction, with a {@link io.warrenmq.serverconfig.recovery.Halter}
 * enlisted first whose commit halts the JVM between the two phases; {@link
 * io.warrenmq.serverconfig.recovery.HalterRecovery}, which lets WildFly's recovery find the
 * halter's branch after the restart; and a JAX-RS resource that drives the EJB and reads the
 * outcome.
 */
package io.warrenmq.serverconfig.recovery;
