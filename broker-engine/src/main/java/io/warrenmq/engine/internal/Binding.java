package io.warrenmq.engine.internal;

import java.util.Map;

/**
 * A binding of a queue to an exchange (AMQP 0-9-1 spec 3.1.3). Two bindings are the same when
 * exchange, queue, binding key and arguments are equal; binding twice is then a no-op.
 *
 * @param exchange the source exchange
 * @param queue the destination queue
 * @param bindingKey the binding key, interpreted by the exchange type
 * @param arguments binding arguments (e.g. {@code x-match} for headers exchanges), unmodifiable
 */
public record Binding(
    Exchange exchange, Queue queue, String bindingKey, Map<String, Object> arguments) {}
