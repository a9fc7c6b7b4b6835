"""RabbitMQ tutorial 7, publisher confirms (https://www.rabbitmq.com/tutorials/tutorial-seven-python,
https://pika.readthedocs.io/en/stable/examples/blocking_delivery_confirmations.html): with
BlockingChannel.confirm_delivery() every basic_publish returns once the broker confirmed it
(basic.ack) and raises when the broker returned (UnroutableError) or nacked (NackError) it.

100 persistent messages to a durable queue are all confirmed and held in publish order; an
unroutable mandatory publish comes back as basic.return 312 NO_ROUTE before its confirm; a
publish to a missing exchange closes the channel with 404.
"""
import pika

from tutorial_support import closed_by_broker, connect, say

QUEUE = 'confirms_queue'
COUNT = 100

connection = connect()
channel = connection.channel()
channel.queue_delete(queue=QUEUE)  # a run before this one may have left it on a real RabbitMQ
channel.queue_declare(queue=QUEUE, durable=True)
channel.confirm_delivery()

for n in range(COUNT):
    channel.basic_publish(
        exchange='',
        routing_key=QUEUE,
        body=('message %d' % n).encode(),
        properties=pika.BasicProperties(delivery_mode=2),
        mandatory=True)
say('%d persistent messages published and confirmed' % COUNT)  # each before the next

try:
    channel.basic_publish(exchange='', routing_key='no-such-queue', body=b'lost', mandatory=True)
    say('unroutable mandatory publish: confirmed without a return')
except pika.exceptions.UnroutableError as e:
    returned = e.messages[0]
    say('unroutable mandatory publish: returned %d %s, body %s' % (
        returned.method.reply_code, returned.method.reply_text, returned.body.decode()))

ok = channel.queue_declare(queue=QUEUE, durable=True, passive=True)
say('%s holds %d messages' % (QUEUE, ok.method.message_count))
bodies = []
for method, properties, body in channel.consume(queue=QUEUE, inactivity_timeout=20):
    if method is None:
        break
    bodies.append(body.decode())
    channel.basic_ack(delivery_tag=method.delivery_tag)
    if len(bodies) == COUNT:
        break
channel.cancel()
say('consumed in publish order: %s'
    % str(bodies == ['message %d' % n for n in range(COUNT)]).lower())

say('publish to a missing exchange: ' + closed_by_broker(
    lambda: channel.basic_publish(exchange='no-such-exchange', routing_key='', body=b'x')))

connection.channel().queue_delete(queue=QUEUE)
connection.close()
say('done')
