/**
 * The {@code remote-orders.war} that {@code RemoteBrokerIT} deploys on two WildFly instances whose
 * resource adapter is a client of one standalone WarrenMQ server (and {@code PayaraRemoteBrokerIT}
 * on Payara, with its own descriptors): a JAX-RS resource that places orders (messages on the queue
 * {@code remote-orders}) in JTA transactions, and an MDB that consumes them and, in the same
 * transaction, records each order with the instance that processed it on the queue {@code
 * remote-processed}, which the test reads from the broker directly. A record therefore exists if
 * and only if its order's consumption committed, whatever crashed.
 */
package io.warrenmq.serverconfig.remote;
