"""RabbitMQ tutorial 3, publish/subscribe (https://www.rabbitmq.com/tutorials/tutorial-three-python):
a fanout exchange and, per subscriber, an exclusive queue whose name the server picks.

Both subscribers receive every log message in order. Another connection may not consume from an
exclusive queue (405), and the queue goes away with the connection that declared it (404).
"""
from tutorial_support import closed_by_broker, connect, pump, say

EXCHANGE = 'logs'
END = 'end of logs'

emitter = connect()
channel = emitter.channel()
channel.exchange_declare(exchange=EXCHANGE, exchange_type='fanout')


def subscribe():
    connection = connect()
    ch = connection.channel()
    result = ch.queue_declare(queue='', exclusive=True)
    queue = result.method.queue
    ch.queue_bind(exchange=EXCHANGE, queue=queue)
    received = []
    ch.basic_consume(
        queue=queue,
        on_message_callback=lambda ch, method, properties, body: received.append(body.decode()),
        auto_ack=True)
    return connection, queue, received


first, first_queue, first_got = subscribe()
second, second_queue, second_got = subscribe()
for name in (first_queue, second_queue):
    say('server-named queue: %s' % ('amq.gen-...' if name.startswith('amq.gen-') else name))
say('the two names differ: %s' % str(first_queue != second_queue).lower())

for line in ('info: Hello World!', 'warning: disk 80% full', 'error: disk full', END):
    channel.basic_publish(exchange=EXCHANGE, routing_key='', body=line.encode())
pump(lambda: END in first_got and END in second_got, first, second, what='the logs at both')
say('first subscriber: ' + ' | '.join(first_got))
say('second subscriber: ' + ' | '.join(second_got))

say('another connection consumes the first queue: ' + closed_by_broker(
    lambda: emitter.channel().basic_consume(
        queue=first_queue, on_message_callback=lambda *args: None, auto_ack=True)
).replace(first_queue, '<first queue>'))

first.close()
say('after its connection closed: ' + closed_by_broker(
    lambda: emitter.channel().queue_declare(queue=first_queue, passive=True)
).replace(first_queue, '<first queue>'))

second.close()
channel.exchange_delete(exchange=EXCHANGE)
emitter.close()
say('done')
