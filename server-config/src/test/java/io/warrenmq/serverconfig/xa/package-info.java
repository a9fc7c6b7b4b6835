/**
 * The {@code xa-orders.war} that {@code XaOrderIT} (WildFly) and {@code PayaraXaOrderIT} deploy: an
 * EJB that writes an order row through the H2 XA datasource and sends an order message through
 * WarrenMQ in one JTA transaction, and a JAX-RS resource that calls it and looks for the row and
 * the message afterwards.
 */
package io.warrenmq.serverconfig.xa;
