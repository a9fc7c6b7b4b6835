"""RabbitMQ tutorial 6, RPC (https://www.rabbitmq.com/tutorials/tutorial-six-python) as the
tutorial writes it: the client declares an exclusive server-named callback queue, sends each
request with reply_to and a fresh correlation_id, and takes the reply whose correlation_id is
its request's.
"""
import uuid

import pika

from rpc_support import RPC_QUEUE, start_server
from tutorial_support import connect, pump, say

server = connect()
seen_reply_to = []
server_channel = start_server(server, seen_reply_to)

client = connect()
channel = client.channel()
callback_queue = channel.queue_declare(queue='', exclusive=True).method.queue
replies = {}
channel.basic_consume(
    queue=callback_queue,
    on_message_callback=lambda ch, method, props, body: replies.__setitem__(
        props.correlation_id, body.decode()),
    auto_ack=True)


def call(n):
    correlation_id = str(uuid.uuid4())
    channel.basic_publish(
        exchange='',
        routing_key=RPC_QUEUE,
        properties=pika.BasicProperties(reply_to=callback_queue, correlation_id=correlation_id),
        body=str(n).encode())
    pump(lambda: correlation_id in replies, client, server, what='the reply to fib(%d)' % n)
    return replies.pop(correlation_id)


for n in (0, 1, 2, 10, 30):
    say('fib(%d) = %s' % (n, call(n)))
say('the server saw reply_to = the callback queue: %s'
    % str(set(seen_reply_to) == {callback_queue}).lower())
say('unmatched replies: %d' % len(replies))

client.close()
server_channel.queue_delete(queue=RPC_QUEUE)
server.close()
say('done')
