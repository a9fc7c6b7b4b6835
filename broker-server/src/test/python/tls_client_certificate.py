"""A required client certificate (https://www.rabbitmq.com/docs/ssl, "Peer Verification": a server
with ssl_options.verify = verify_peer and fail_if_no_peer_cert = true; pika's "TLS parameters
example", mutual authentication): pika with the client certificate and key the CA signed connects
and round-trips a message; pika without one is refused in the TLS handshake, and reports the
server's TLS alert.

usage: tls_client_certificate.py [PORT [CA_FILE [CERT_FILE [KEY_FILE]]]]
       (defaults: 5671, ca_certificate.pem, client_certificate.pem, client_key.pem)
"""
import ssl

import pika

from tutorial_support import argument, say, tls_parameters, without_source_line

ca_file = argument(1, 'ca_certificate.pem')

with_certificate = ssl.create_default_context(cafile=ca_file)
with_certificate.load_cert_chain(
    argument(2, 'client_certificate.pem'), argument(3, 'client_key.pem'))
with pika.BlockingConnection(tls_parameters(with_certificate)) as connection:
    channel = connection.channel()
    queue = channel.queue_declare(queue='', exclusive=True).method.queue
    channel.basic_publish(exchange='', routing_key=queue, body=b'Hello, mutual TLS')
    method, properties, body = channel.basic_get(queue=queue, auto_ack=True)
    say('with the client certificate: connected, got %r' % body.decode())

without_certificate = ssl.create_default_context(cafile=ca_file)
try:
    pika.BlockingConnection(tls_parameters(without_certificate)).close()
    say('without a client certificate: connected')
except pika.exceptions.AMQPConnectionError as e:
    # TLS 1.3: pika's handshake is over before the server has checked its (empty) Certificate;
    # the server's alert ends the stream while pika waits for connection.start
    say('without a client certificate: refused: %s' % type(e).__name__)
    say('reason: %s' % without_source_line(str(e)))
say('done')
