"""RabbitMQ tutorial 4, routing (https://www.rabbitmq.com/tutorials/tutorial-four-python):
a direct exchange; a queue bound with several binding keys, and two queues bound with one key.

The disk writer binds 'error' only; the console binds info, warning and error. A message whose
routing key has no binding ('debug') reaches no queue.
"""
from tutorial_support import connect, pump, say

EXCHANGE = 'direct_logs'
END = 'end of logs'

emitter = connect()
channel = emitter.channel()
channel.exchange_declare(exchange=EXCHANGE, exchange_type='direct')


def subscribe(severities):
    connection = connect()
    ch = connection.channel()
    queue = ch.queue_declare(queue='', exclusive=True).method.queue
    for severity in severities:
        ch.queue_bind(exchange=EXCHANGE, queue=queue, routing_key=severity)
    received = []
    ch.basic_consume(
        queue=queue,
        on_message_callback=lambda ch, method, properties, body: received.append(
            '%s:%s' % (method.routing_key, body.decode())),
        auto_ack=True)
    return connection, received


disk, disk_got = subscribe(['error'])
console, console_got = subscribe(['info', 'warning', 'error'])

for severity, message in (('info', 'Run. Run. Or it will explode.'),
                          ('debug', 'nobody listens'),
                          ('warning', 'disk 80% full'),
                          ('error', 'disk full'),
                          ('error', END)):
    channel.basic_publish(exchange=EXCHANGE, routing_key=severity, body=message.encode())
pump(lambda: 'error:' + END in disk_got and 'error:' + END in console_got, disk, console,
     what='the logs at both')
say('disk writer (error): ' + ' | '.join(disk_got))
say('console (info, warning, error): ' + ' | '.join(console_got))

disk.close()
console.close()
channel.exchange_delete(exchange=EXCHANGE)
emitter.close()
say('done')
