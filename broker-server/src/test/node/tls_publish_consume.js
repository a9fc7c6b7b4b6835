// TLS with server authentication (https://www.rabbitmq.com/docs/ssl, "Enabling TLS Support in
// RabbitMQ", "Connecting to RabbitMQ over TLS"; amqplib's SSL guide, "Options for just
// confidentiality"): amqplib verifies the server's certificate against the CA file, then publishes
// and consumes over amqps.
//
// usage: node tls_publish_consume.js [PORT [CA_FILE]]   (defaults: 5671, ca_certificate.pem)
//
// The server needs only ssl_options.cacertfile, certfile and keyfile with a certificate for
// localhost; with verify_peer it must not require a client certificate. Three small messages and
// one of 1 MiB, which spans many TLS records and AMQP body frames, are consumed back.
'use strict';

const fs = require('node:fs');
const { argument, connectTls, main, say, waitFor } = require('./tutorial_support');

main(async () => {
  const connection = await connectTls({
    ca: [fs.readFileSync(argument(1, 'ca_certificate.pem'))],
  });
  const tls = connection.connection.stream; // the tls.TLSSocket amqplib speaks through
  const { CN } = tls.getPeerCertificate().subject;
  const verified = tls.authorized ? 'verified' : `NOT verified (${tls.authorizationError})`;
  say(`connected over ${tls.getProtocol()}, server certificate CN=${CN} ${verified} against the CA`);

  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true });
  const large = Buffer.alloc(256 * 4096, Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
  for (let n = 1; n <= 3; n++) channel.sendToQueue(queue, Buffer.from(`Hello over TLS ${n}`));
  channel.sendToQueue(queue, large);

  const received = [];
  await channel.consume(queue, (msg) => received.push(msg.content), { noAck: true });
  await waitFor(() => received.length === 4, 'the four messages');
  say(`consumed: ${received.slice(0, 3).map(String).join(' | ')}`);
  say(`a ${received[3].length}-byte message came back intact: ${received[3].equals(large)}`);
  await connection.close();
  say('done');
});
