"""pika in front of a shared-store HA pair (issue 19, "Clients"): publishes persistent messages
with publisher confirms (BlockingChannel.confirm_delivery(): basic_publish returns once the broker
confirmed) to a durable queue and, when the connection is lost, connects again to whichever broker
of the list answers (pika.BlockingConnection with a list of ConnectionParameters tries each in
order), until the stop file exists.

Arguments: host:port,host:port queue stop-file
Prints, flushed, one line per event:
  CONNECTED host:port    a connection (the first, or a reconnection) is open
  CONFIRMED id           the broker confirmed id
  NACKED id              the broker nacked or returned id
  UNKNOWN id error       the connection was lost under the publish of id: it may or may not arrive
  DONE n                 n publishes attempted, the stop file seen
"""
import os
import sys
import time

import pika


def say(line):
    print(line, flush=True)


addresses = [a.rsplit(':', 1) for a in sys.argv[1].split(',')]
queue = sys.argv[2]
stop_file = sys.argv[3]
parameters = [
    pika.ConnectionParameters(
        host=host, port=int(port), connection_attempts=1, socket_timeout=2,
        blocked_connection_timeout=60, heartbeat=5)
    for host, port in addresses]


def connect():
    """Connects to the first broker of the list that accepts, retrying every 100 ms."""
    while not os.path.exists(stop_file):
        try:
            connection = pika.BlockingConnection(parameters)
            channel = connection.channel()
            channel.queue_declare(queue=queue, durable=True)
            channel.confirm_delivery()
            params = connection._impl.params
            say('CONNECTED %s:%d' % (params.host, params.port))
            return connection, channel
        except pika.exceptions.AMQPError:
            time.sleep(0.1)
    return None, None


connection, channel = connect()
n = 0
while channel is not None and not os.path.exists(stop_file):
    n += 1
    message_id = 'pika-%d' % n
    try:
        channel.basic_publish(
            exchange='', routing_key=queue, body=message_id.encode(),
            properties=pika.BasicProperties(delivery_mode=2), mandatory=True)
        say('CONFIRMED %s' % message_id)
    except (pika.exceptions.NackError, pika.exceptions.UnroutableError):
        say('NACKED %s' % message_id)
    except (pika.exceptions.AMQPError, OSError) as e:
        say('UNKNOWN %s %s' % (message_id, type(e).__name__))
        try:
            connection.close()
        except Exception:  # already gone
            pass
        connection, channel = connect()
    time.sleep(0.005)
if connection is not None and connection.is_open:
    connection.close()
say('DONE %d' % n)
