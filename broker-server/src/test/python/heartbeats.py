"""Heartbeats (AMQP 0-9-1 section 4.2.7, https://www.rabbitmq.com/docs/heartbeats): pika asks for
a 1 s heartbeat in connection.tune-ok and keeps an idle connection for 4 s (four intervals).

The broker closes a peer silent for two intervals, so the connection still working afterwards
shows that the broker received pika's heartbeats; pika counts the heartbeat frames the broker
sent meanwhile.
"""
import pika

from tutorial_support import connect, say

IDLE_SECONDS = 4
proposed = []


def negotiate(connection, broker_value):
    proposed.append(broker_value)
    return 1


connection = connect(heartbeat=negotiate)
say('broker proposed %d s; pika asked for 1 s' % proposed[0])
connection.sleep(IDLE_SECONDS)  # runs the I/O loop: pika sends heartbeats, reads the broker's

channel = connection.channel()
queue = channel.queue_declare(queue='', exclusive=True).method.queue
channel.basic_publish(exchange='', routing_key=queue, body=b'still here')
method, properties, body = channel.basic_get(queue=queue, auto_ack=True)
say('after %d s idle the connection works: %s' % (IDLE_SECONDS, body.decode()))
# pika has no public counter of received heartbeats; its HeartbeatChecker (pika 1.2) keeps one
received = connection._impl._heartbeat_checker._heartbeat_frames_received
say('broker heartbeats received: %s' % ('at least 2' if received >= 2 else received))
connection.close()
say('done')
