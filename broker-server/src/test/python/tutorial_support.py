"""What the pika tutorial scripts share: where the broker is, printing, waiting with a deadline.

Every script takes the broker's port as its first argument (default 5672, RabbitMQ's, so a script
runs unchanged against the RabbitMQ on 127.0.0.1:5672; 5671, the amqps port, for the tls_* scripts,
whose further arguments are PEM files), prints what it received one line at a
time on stdout, and exits 0 when the scenario completed, non-zero (with a traceback on stderr)
when it did not. The JUnit side (PikaTutorialsTest) compares the lines with the expected ones.
"""
import re
import sys
import time

import pika

HOST = '127.0.0.1'
DEADLINE_SECONDS = 20


def port(default=5672):
    return int(sys.argv[1]) if len(sys.argv) > 1 else default


def argument(n, default):
    """The n-th argument after the port (1-based), e.g. a PEM file."""
    return sys.argv[1 + n] if len(sys.argv) > 1 + n else default


def parameters(password='guest', **settings):
    return pika.ConnectionParameters(
        host=HOST,
        port=port(),
        credentials=pika.PlainCredentials('guest', password),
        connection_attempts=1,
        **settings)


def tls_parameters(context):
    """amqps as pika's "TLS parameters example" connects (https://pika.readthedocs.io, Examples):
    the ssl.SSLContext wraps the socket, and 'localhost', the name the server certificate is for,
    is the name sent (SNI) and checked against it while the socket goes to 127.0.0.1."""
    return pika.ConnectionParameters(
        host=HOST,
        port=port(default=5671),
        credentials=pika.PlainCredentials('guest', 'guest'),
        ssl_options=pika.SSLOptions(context, 'localhost'),
        connection_attempts=1)


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


def without_source_line(text):
    """An ssl error's text without the C source line Python appends: ' (_ssl.c:2546)'."""
    return re.sub(r' \(_ssl\.c:\d+\)', '', text)
