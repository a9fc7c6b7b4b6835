// A required client certificate (https://www.rabbitmq.com/docs/ssl, "Peer Verification": a server
// with ssl_options.verify = verify_peer and fail_if_no_peer_cert = true; amqplib's SSL guide,
// "Options for full client and server verification"): amqplib with the client certificate and key
// the CA signed connects and round-trips a message; amqplib without one is refused in the TLS
// handshake, and reports the server's TLS alert.
//
// usage: node tls_client_certificate.js [PORT [CA_FILE [CERT_FILE [KEY_FILE]]]]
//        (defaults: 5671, ca_certificate.pem, client_certificate.pem, client_key.pem)
'use strict';

const fs = require('node:fs');
const { argument, connectTls, main, say } = require('./tutorial_support');

main(async () => {
  const ca = [fs.readFileSync(argument(1, 'ca_certificate.pem'))];

  const connection = await connectTls({
    cert: fs.readFileSync(argument(2, 'client_certificate.pem')),
    key: fs.readFileSync(argument(3, 'client_key.pem')),
    ca,
  });
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true });
  channel.sendToQueue(queue, Buffer.from('Hello, mutual TLS'));
  let msg = false;
  for (let i = 0; i < 100 && msg === false; i++) msg = await channel.get(queue, { noAck: true });
  say(`with the client certificate: connected, got '${msg && msg.content}'`);
  await connection.close();

  try {
    const refused = await connectTls({ ca });
    say('without a client certificate: connected');
    await refused.close();
  } catch (error) {
    say(`without a client certificate: refused: ${error.code}`);
    say(`reason: ${alertOf(error)}`);
  }
  say('done');
});

/** The alert in OpenSSL's message, without its source file and line ('...:SSL alert number 42'). */
function alertOf(error) {
  const alert = /:([^:]*alert[^:]*):.*SSL alert number (\d+)/.exec(error.message);
  return alert ? `${alert[1]} (alert number ${alert[2]})` : error.message;
}
