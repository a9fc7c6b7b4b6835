"""The RPC server of RabbitMQ tutorial 6 (https://www.rabbitmq.com/tutorials/tutorial-six-python),
shared by the callback-queue and the direct reply-to scripts."""
import pika

RPC_QUEUE = 'rpc_queue'


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def start_server(connection, seen_reply_to):
    """Serves fib(n) on rpc_queue: one request at a time (prefetch 1), acked after the reply."""
    ch = connection.channel()
    ch.queue_delete(queue=RPC_QUEUE)  # a run before this one may have left it on a real RabbitMQ
    ch.queue_declare(queue=RPC_QUEUE)
    ch.basic_qos(prefetch_count=1)

    def on_request(ch, method, props, body):
        seen_reply_to.append(props.reply_to)
        ch.basic_publish(
            exchange='',
            routing_key=props.reply_to,
            properties=pika.BasicProperties(correlation_id=props.correlation_id),
            body=str(fib(int(body))).encode())
        ch.basic_ack(delivery_tag=method.delivery_tag)

    ch.basic_consume(queue=RPC_QUEUE, on_message_callback=on_request)
    return ch
