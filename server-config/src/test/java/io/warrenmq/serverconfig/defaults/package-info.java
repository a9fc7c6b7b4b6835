/**
 * Test WAR {@code default-jms.war} ({@code DefaultConnectionFactoryIT}): uses the Jakarta EE
 * default JMS connection factory, {@code java:comp/DefaultJMSConnectionFactory}, which {@code
 * wildfly/without-artemis.cli} points at WarrenMQ's.
 */
package io.warrenmq.serverconfig.defaults;
