"""A server certificate the client does not trust (https://www.rabbitmq.com/docs/ssl, "Peer
Verification", "Certificate Chains and Verification Depth"): pika with Python's default context,
which trusts the CA certificates of the system's store and not the one that signed the server's
certificate, refuses the server in the TLS handshake; no AMQP is spoken.

usage: tls_untrusted_server.py [PORT]   (default: 5671)
"""
import ssl

import pika

from tutorial_support import say, tls_parameters

context = ssl.create_default_context()  # the system's CAs only
try:
    pika.BlockingConnection(tls_parameters(context)).close()
    say('connected to a server no trusted CA vouches for')
except ssl.SSLCertVerificationError as e:  # pika raises the handshake's own error
    say('refused: %s' % type(e).__name__)
    say('reason: %s (verify code %d)' % (e.verify_message, e.verify_code))
say('done')
