// A refused login: a wrong password. RabbitMQ answers connection.start-ok with connection.close
// 403 ACCESS_REFUSED to a client that announces the authentication_failure_close capability, as
// amqplib does (https://www.rabbitmq.com/docs/access-control, "Authentication failure
// notifications"); amqplib's connect() rejects with that reply.
'use strict';

const { connect, main, say } = require('./tutorial_support');

main(async () => {
  try {
    const connection = await connect({ password: 'not-the-password' });
    say('connected with a wrong password');
    await connection.close();
  } catch (error) {
    say(`refused: ${error.message}`);
  }
  say('done');
});
