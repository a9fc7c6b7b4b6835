/**
 * The WarrenMQ resource adapter and the EAR sample in a managed Payara Server 6: the same scenarios
 * as the WildFly ITs beside this package (orders exactly once through the queue, both topic
 * subscribers, XA commit and rollback, poison messages to the dead-letter queue) and the adapter's
 * logging in Payara's ODL {@code server.log}. The pom's {@code payara-it} failsafe execution runs
 * them in one JVM with {@code arquillian-payara.xml}, against the domain that {@code
 * payara/provision.sh} made with {@code warren-ra} already deployed.
 */
package io.warrenmq.serverconfig.payara;
