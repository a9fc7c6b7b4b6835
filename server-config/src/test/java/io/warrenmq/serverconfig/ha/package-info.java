/**
 * The {@code ha-orders.war} that {@code SharedStoreHaIT} deploys beside {@code remote-orders.war}
 * on a WildFly whose resource adapter lists both brokers of a shared-store HA pair: a JAX-RS
 * resource that places each order in one JTA transaction over the XA datasource (a row) and the
 * broker (a message to {@code remote-orders}, which {@code remote-orders.war}'s MDB consumes and
 * records), and that lists the rows and the datasource's in-doubt transactions afterwards.
 */
package io.warrenmq.serverconfig.ha;
