/**
 * The EAR sample's EJB module: {@link io.warrenmq.sample.OrderService} sends one message per order
 * to the queue {@code orders} and one event per order to the topic {@code order-events} through the
 * WarrenMQ resource adapter; {@link io.warrenmq.sample.OrderListener} consumes the orders, {@link
 * io.warrenmq.sample.AuditSubscriber} and {@link io.warrenmq.sample.NotificationSubscriber} each
 * receive every event; {@link io.warrenmq.sample.OrderLedger} counts what happened.
 *
 * <p>The module only speaks the Jakarta Messaging 3.1 API. The connection factory and destinations
 * are the resource adapter's, bound by {@code server-config/wildfly/warren-ra.cli}; the MDBs carry
 * no {@code @ResourceAdapter} annotation and use the server's default resource adapter for MDBs,
 * which the same script sets to {@code warren-ra.rar}.
 */
package io.warrenmq.sample;
