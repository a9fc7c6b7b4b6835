"""What the pika tutorial scripts share: where the broker is, printing, waiting with a deadline.

Every script takes the broker's port as its only argument (default 5672, RabbitMQ's, so a script
runs unchanged against the RabbitMQ on 127.0.0.1:5672), prints what it received one line at a
time on stdout, and exits 0 when the scenario completed, non-zero (with a traceback on stderr)
when it did not. The JUnit side (PikaTutorialsTest) compares the lines with the expected ones.
"""
import sys
import time

import pika

HOST = '127.0.0.1'
DEADLINE_SECONDS = 20


def port():
    return int(sys.argv[1]) if len(sys.argv) > 1 else 5672


def parameters(password='guest', **settings):
    return pika.ConnectionParameters(
        host=HOST,
        port=port(),
        credentials=pika.PlainCredentials('guest', password),
        connection_attempts=1,
        **settings)


def connect(**settings):
    return pika.BlockingConnection(parameters(**settings))


def say(line):
    print(line, flush=True)


def pump(done, *connections, what='the expected messages'):
    """Processes the connections' I/O (deliveries run their callbacks) until done() holds."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError('waited %d s for %s' % (DEADLINE_SECONDS, what))
        for c in connections:
            c.process_data_events(time_limit=0.05)


def closed_by_broker(action):
    """Runs action, which must close its channel; returns 'CODE TEXT' of the channel.close."""
    try:
        action()
    except pika.exceptions.ChannelClosedByBroker as e:
        return '%d %s' % (e.reply_code, e.reply_text)
    raise AssertionError('the broker did not close the channel')
