package io.warrenmq.engine;

import java.util.Map;

/**
 * What a network transport knows about a client connection, attached by the wire server with {@link
 * Connection#describeTransport} and shown by the management API's connection objects.
 *
 * @param name the connection's display name, RabbitMQ's form {@code "peerHost:peerPort ->
 *     host:port"}; unique while the connection is open
 * @param peerHost the client's address
 * @param peerPort the client's port
 * @param host the server's address the client connected to
 * @param port the server's port
 * @param protocol e.g. {@code "AMQP 0-9-1"}
 * @param tls whether the connection is TLS
 * @param clientProperties the {@code client-properties} of {@code connection.start-ok}, never null
 * @param frameMax the negotiated frame-max, bytes
 * @param channelMax the negotiated channel-max
 * @param heartbeat the negotiated heartbeat, seconds (0 = none)
 */
public record TransportInfo(
    String name,
    String peerHost,
    int peerPort,
    String host,
    int port,
    String protocol,
    boolean tls,
    Map<String, Object> clientProperties,
    int frameMax,
    int channelMax,
    int heartbeat) {
  public TransportInfo {
    clientProperties = clientProperties == null ? Map.of() : clientProperties;
  }
}
