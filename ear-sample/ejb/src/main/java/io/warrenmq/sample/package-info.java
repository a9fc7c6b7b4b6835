/**
 * The EAR sample's EJB module: {@link io.warrenmq.sample.OrderService} sends one message per order
 * to the queue {@code orders} and one event per order to the topic {@code order-events} through the
 * WarrenMQ resource adapter; {@link io.warrenmq.sample.OrderListener} consumes the orders, {@link
 * io.warrenmq.sample.AuditSubscriber} and {@link io.warrenmq.sample.NotificationSubscriber} each
 * receive every event; {@link io.warrenmq.sample.OrderLedger} counts what happened.
 *
 * <p>The module only speaks the Jakarta Messaging 3.1 API and depends on no server. The connection
 * factory, destinations and datasource are resource references ({@code @Resource(name = ...)}) that
 * the module's server descriptors map to each server's JNDI names: {@code META-INF/jboss-ejb3.xml}
 * for WildFly ({@code java:/jms/warren/...}, bound by {@code server-config/wildfly/warren-ra.cli})
 * and {@code META-INF/glassfish-ejb-jar.xml} for Payara ({@code jms/warren/...}, created by {@code
 * server-config/payara/warren-ra.asadmin}). The MDBs carry only standard activation properties:
 * WildFly gives them its default resource adapter for MDBs, which {@code warren-ra.cli} sets to
 * {@code warren-ra.rar}; Payara has no such default (its MDBs go to its own JMS adapter), so {@code
 * glassfish-ejb-jar.xml} names {@code warren-ra} for each MDB ({@code mdb-resource-adapter}).
 */
package io.warrenmq.sample;
