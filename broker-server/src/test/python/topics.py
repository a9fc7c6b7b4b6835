"""RabbitMQ tutorial 5, topics (https://www.rabbitmq.com/tutorials/tutorial-five-python):
a topic exchange with '*' (exactly one word) and '#' (zero or more words) binding keys.

The tutorial's three bindings, Q1 '*.orange.*', Q2 '*.*.rabbit' and 'lazy.#', and the
tutorial's routing keys, including those that match no binding and one that matches two
bindings of Q2 (delivered once); plus Q3 bound with '#', which behaves like a fanout.
"""
from tutorial_support import connect, pump, say

EXCHANGE = 'topic_logs'
END = 'end.orange.rabbit'  # matches Q1 and Q2 (and Q3): the last message every queue gets

emitter = connect()
channel = emitter.channel()
channel.exchange_declare(exchange=EXCHANGE, exchange_type='topic')


def subscribe(connection, binding_keys):
    ch = connection.channel()
    queue = ch.queue_declare(queue='', exclusive=True).method.queue
    for key in binding_keys:
        ch.queue_bind(exchange=EXCHANGE, queue=queue, routing_key=key)
    received = []
    ch.basic_consume(
        queue=queue,
        on_message_callback=lambda ch, method, properties, body: received.append(body.decode()),
        auto_ack=True)
    return received


consumer = connect()
q1 = subscribe(consumer, ['*.orange.*'])
q2 = subscribe(consumer, ['*.*.rabbit', 'lazy.#'])
q3 = subscribe(consumer, ['#'])

for key in ('quick.orange.rabbit', 'lazy.orange.elephant', 'quick.orange.fox', 'lazy.brown.fox',
            'lazy.pink.rabbit', 'quick.brown.fox', 'orange', 'quick.orange.new.rabbit',
            'lazy.orange.new.rabbit', 'lazy', 'quick.orange.male.rabbit', '', END):
    channel.basic_publish(exchange=EXCHANGE, routing_key=key, body=(key or '(empty)').encode())
pump(lambda: END in q1 and END in q2 and END in q3, consumer, what='the messages at Q1, Q2, Q3')
say("Q1 '*.orange.*': " + ' '.join(q1))
say("Q2 '*.*.rabbit' 'lazy.#': " + ' '.join(q2))
say("Q3 '#': " + ' '.join(q3))

consumer.close()
channel.exchange_delete(exchange=EXCHANGE)
emitter.close()
say('done')
