"""TLS with server authentication (https://www.rabbitmq.com/docs/ssl, "Enabling TLS Support in
RabbitMQ", "Connecting to RabbitMQ over TLS"; pika's "TLS parameters example"): pika verifies the
server's certificate against the CA file, then publishes and consumes over amqps.

usage: tls_publish_consume.py [PORT [CA_FILE]]   (defaults: 5671, ca_certificate.pem)

The server needs only ssl_options.cacertfile, certfile and keyfile with a certificate for
localhost; with verify_peer it must not require a client certificate. Three small messages and
one of 1 MiB, which spans many TLS records and AMQP body frames, are consumed back.
"""
import ssl

import pika

from tutorial_support import argument, pump, say, tls_parameters

context = ssl.create_default_context(cafile=argument(1, 'ca_certificate.pem'))
connection = pika.BlockingConnection(tls_parameters(context))
# pika keeps its TLS socket to itself: the transport's ssl.SSLSocket (pika 1.2)
tls = connection._impl._transport._sock
subject = dict(rdn[0] for rdn in tls.getpeercert()['subject'])
say('connected over %s, server certificate CN=%s verified against the CA'
    % (tls.version(), subject['commonName']))

channel = connection.channel()
queue = channel.queue_declare(queue='', exclusive=True).method.queue
large = bytes(range(256)) * 4096
for n in range(1, 4):
    channel.basic_publish(exchange='', routing_key=queue, body=b'Hello over TLS %d' % n)
channel.basic_publish(exchange='', routing_key=queue, body=large)

received = []
channel.basic_consume(
    queue=queue,
    on_message_callback=lambda ch, method, properties, body: received.append(body),
    auto_ack=True)
pump(lambda: len(received) == 4, connection, what='the four messages')
say('consumed: ' + ' | '.join(body.decode() for body in received[:3]))
intact = str(received[3] == large).lower()
say('a %d-byte message came back intact: %s' % (len(received[3]), intact))
connection.close()
say('done')
