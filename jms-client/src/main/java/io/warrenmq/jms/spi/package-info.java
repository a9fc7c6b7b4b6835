/**
 * The transport SPI of the JMS provider: the narrow seam between the Jakarta Messaging layer
 * ({@code io.warrenmq.jms}) and the broker it talks to (STYLE.md rule 4; the shape of Apache Qpid
 * JMS's provider SPI). The JMS layer maps sessions, producers and consumers onto AMQP 0-9-1 methods
 * once, against these interfaces; a transport carries the methods to a broker: in-VM (the engine's
 * {@code Channel} in the same JVM, {@code vm://}) or over the AMQP 0-9-1 wire ({@code amqp://},
 * {@code amqps://}).
 *
 * <ul>
 *   <li>{@link io.warrenmq.jms.spi.Transport}: reaches one broker and opens connections from a
 *       {@link io.warrenmq.jms.spi.ConnectionInfo} (virtual host, credentials, client id).
 *   <li>{@link io.warrenmq.jms.spi.TransportConnection}: an AMQP connection; opens channels, tells
 *       of its close and of flow control ({@code connection.blocked}).
 *   <li>{@link io.warrenmq.client.AmqpChannel}: an AMQP channel whose methods mirror the AMQP 0-9-1
 *       methods (and the RabbitMQ and WarrenMQ extensions) one to one.
 * </ul>
 *
 * <p>What crosses the seam: names, flags and the engine's immutable value types ({@link
 * io.warrenmq.client.ExchangeSpec}, {@link io.warrenmq.client.QueueSpec}, {@link
 * io.warrenmq.client.BasicProperties}, {@link io.warrenmq.client.Delivery}, {@link
 * io.warrenmq.client.QueueDeclareOk}); never a live engine object ({@code Broker}, {@code
 * Connection}, {@code Channel}, {@code VirtualHost}), so that an implementation can equally be a
 * socket. Errors are one {@link io.warrenmq.client.AmqpException} carrying the AMQP reply code, as
 * a broker sends it in {@code channel.close} or {@code connection.close}; the JMS layer turns it
 * into a {@code jakarta.jms} exception in one place.
 *
 * <p>Soft and hard errors follow the AMQP 0-9-1 spec: a method that fails with a channel (soft)
 * error closes its channel (unacknowledged messages return to their queues); a connection (hard)
 * error ({@link io.warrenmq.client.ReplyCode#isHardError()}) closes the connection and every
 * channel of it. Every AMQP method called on a closed channel throws 504 CHANNEL_ERROR.
 */
package io.warrenmq.jms.spi;
