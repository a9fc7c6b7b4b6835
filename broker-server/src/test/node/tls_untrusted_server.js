// A server certificate the client does not trust (https://www.rabbitmq.com/docs/ssl, "Peer
// Verification", "Certificate Chains and Verification Depth"): amqplib with Node's default CA
// certificates (Mozilla's, built into Node), none of which signed the server's certificate,
// refuses the server in the TLS handshake; no AMQP is spoken.
//
// usage: node tls_untrusted_server.js [PORT]   (default: 5671)
'use strict';

const { connectTls, main, say } = require('./tutorial_support');

main(async () => {
  try {
    const connection = await connectTls({}); // Node's default CAs only
    say('connected to a server no trusted CA vouches for');
    await connection.close();
  } catch (error) {
    say(`refused: ${error.code}`);
    say(`reason: ${error.message}`);
  }
  say('done');
});
