package io.warrenmq.engine;

/**
 * A snapshot of a client connection for monitoring (the management API's connection object).
 *
 * @param name the connection's name: its {@link TransportInfo#name()} over the wire, else its
 *     engine id ({@code conn-N}) for an in-VM connection
 * @param user the user it logged in as, or null on the trusted in-VM path
 * @param virtualHost its virtual host
 * @param channels open channels
 * @param connectedAt when it opened, ms since the epoch
 * @param transport what the transport knows, or null for an in-VM connection
 */
public record ConnectionInfo(
    String name,
    String user,
    String virtualHost,
    int channels,
    long connectedAt,
    TransportInfo transport) {}
