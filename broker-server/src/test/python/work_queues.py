"""RabbitMQ tutorial 2, work queues (https://www.rabbitmq.com/tutorials/tutorial-two-python):
a durable queue, persistent messages, fair dispatch with prefetch 1 and manual acks.

Worker A takes task 1 and holds it unacked ("a long task"); with prefetch_count=1 the broker
gives every later task to worker B. Then A dies without acking: task 1 comes back to B,
redelivered. Declaring the queue again as non-durable is refused (406).
"""
import pika

from tutorial_support import closed_by_broker, connect, pump, say

QUEUE = 'task_queue'

producer = connect()
channel = producer.channel()
channel.queue_delete(queue=QUEUE)  # a run before this one may have left it on a real RabbitMQ
channel.queue_declare(queue=QUEUE, durable=True)


def publish(task):
    channel.basic_publish(
        exchange='',
        routing_key=QUEUE,
        body=task.encode(),
        properties=pika.BasicProperties(delivery_mode=2))  # persistent


def start_worker(name, ack):
    connection = connect()
    ch = connection.channel()
    ch.basic_qos(prefetch_count=1)
    received = []

    def callback(ch, method, properties, body):
        received.append(body.decode())
        say('%s received %s redelivered=%s delivery_mode=%s'
            % (name, body.decode(), str(method.redelivered).lower(), properties.delivery_mode))
        if ack:
            ch.basic_ack(delivery_tag=method.delivery_tag)

    ch.basic_consume(queue=QUEUE, on_message_callback=callback)
    return connection, received


worker_a, got_a = start_worker('A', ack=False)
publish('task 1.')
pump(lambda: len(got_a) == 1, worker_a, what='task 1 at worker A')

worker_b, got_b = start_worker('B', ack=True)
for n in range(2, 7):
    publish('task %d%s' % (n, '.' * n))
pump(lambda: len(got_b) == 5, worker_a, worker_b, what='tasks 2-6 at worker B')
say('A holds %d unacked task(s)' % len(got_a))

worker_a.close()  # dies without acking task 1
pump(lambda: len(got_b) == 6, worker_b, what='task 1 redelivered to worker B')

ok = channel.queue_declare(queue=QUEUE, durable=True, passive=True)
say('%s: %d messages, %d consumer(s)'
    % (QUEUE, ok.method.message_count, ok.method.consumer_count))

say('redeclare as non-durable: ' + closed_by_broker(
    lambda: producer.channel().queue_declare(queue=QUEUE, durable=False)))

worker_b.close()
channel.queue_delete(queue=QUEUE)
producer.close()
say('done')
