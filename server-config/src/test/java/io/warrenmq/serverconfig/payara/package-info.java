/**
 * The WarrenMQ resource adapter and the EAR sample in a managed Payara Server 6: the same scenarios
 * as the WildFly ITs beside this package (orders exactly once through the queue, both topic
 * subscribers, XA commit and rollback, poison messages to the dead-letter queue) and the adapter's
 * logging in Payara's ODL {@code server.log}. The pom's {@code provision-payara-and-run-its}
 * execution runs them in the background ({@code payara/background-its.sh}), in one JVM of JUnit's
 * console launcher with {@code arquillian-payara.xml}, while the WildFly ITs run, against the
 * domain that {@code payara/provision.sh} made with {@code warren-ra} already deployed; the classes
 * run in the order of their {@code @Order} (JUnit's {@code ClassOrderer.OrderAnnotation}).
 */
package io.warrenmq.serverconfig.payara;
