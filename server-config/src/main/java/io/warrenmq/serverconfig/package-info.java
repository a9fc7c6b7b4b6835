/**
 * Drives the EAR sample's HTTP endpoint from outside the server: {@link
 * io.warrenmq.serverconfig.OrdersEndpoint} is the client shared by the Arquillian tests and the
 * main job; {@link io.warrenmq.serverconfig.OrderLoad} is the main job's load run ({@code
 * server-config/wildfly/main-job.sh}).
 */
package io.warrenmq.serverconfig;
