/**
 * The {@code jmx-queues.war} that {@code ManagementIT} and {@code PayaraManagementIT} deploy: a
 * JAX-RS resource that sends messages through WarrenMQ's connection factory and reads the embedded
 * broker's queue MBeans from the server's platform MBean server, as JConsole would.
 */
package io.warrenmq.serverconfig.jmx;
