"""RabbitMQ tutorial 6, RPC, with direct reply-to (https://www.rabbitmq.com/docs/direct-reply-to):
the client consumes the pseudo-queue 'amq.rabbitmq.reply-to' in no-ack mode and sends requests
with reply_to = 'amq.rabbitmq.reply-to'; the server sees a generated name under
'amq.rabbitmq.reply-to.' and replies to it through the default exchange, as to any queue.

A publish with that reply_to on a channel that does not consume the pseudo-queue is refused
(406 PRECONDITION_FAILED), as the RabbitMQ page says.
"""
import uuid

import pika

from rpc_support import RPC_QUEUE, start_server
from tutorial_support import closed_by_broker, connect, pump, say

REPLY_TO = 'amq.rabbitmq.reply-to'

server = connect()
seen_reply_to = []
server_channel = start_server(server, seen_reply_to)

client = connect()
channel = client.channel()
replies = {}
channel.basic_consume(
    queue=REPLY_TO,
    on_message_callback=lambda ch, method, props, body: replies.__setitem__(
        props.correlation_id, body.decode()),
    auto_ack=True)


def call(n):
    correlation_id = str(uuid.uuid4())
    channel.basic_publish(
        exchange='',
        routing_key=RPC_QUEUE,
        properties=pika.BasicProperties(reply_to=REPLY_TO, correlation_id=correlation_id),
        body=str(n).encode())
    pump(lambda: correlation_id in replies, client, server, what='the reply to fib(%d)' % n)
    return replies.pop(correlation_id)


for n in (0, 1, 2, 10, 30):
    say('fib(%d) = %s' % (n, call(n)))
say('the server saw reply_to under %s.: %s' % (REPLY_TO, str(all(
    r.startswith(REPLY_TO + '.') for r in seen_reply_to)).lower()))


def publish_without_consuming():
    ch = client.channel()
    ch.basic_publish(
        exchange='',
        routing_key=RPC_QUEUE,
        properties=pika.BasicProperties(reply_to=REPLY_TO),
        body=b'1')
    # basic.publish has no reply: a round trip after it receives the channel.close
    ch.queue_declare(queue=RPC_QUEUE, passive=True)


say('publish with reply_to without consuming it: ' + closed_by_broker(publish_without_consuming))

client.close()
server_channel.queue_delete(queue=RPC_QUEUE)
server.close()
say('done')
