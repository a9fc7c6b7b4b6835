// Heartbeats (AMQP 0-9-1 section 4.2.7, https://www.rabbitmq.com/docs/heartbeats): amqplib asks
// for a 1 s heartbeat (URL parameter heartbeat=1) and keeps an idle connection for 4 s (four
// intervals).
//
// The broker closes a peer silent for two intervals, and amqplib closes the connection
// ("Heartbeat timeout") when the broker is silent for two intervals; the connection still
// working afterwards shows that heartbeats went both ways.
'use strict';

const { connect, main, say } = require('./tutorial_support');

const IDLE_SECONDS = 4;

main(async () => {
  const connection = await connect({ heartbeat: 1 });
  connection.on('error', (error) => say(`connection error: ${error.message}`));
  say(`negotiated heartbeat: ${connection.connection.heartbeat} s`);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));

  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true });
  channel.sendToQueue(queue, Buffer.from('still here'));
  let msg = false;
  for (let i = 0; i < 100 && msg === false; i++) msg = await channel.get(queue, { noAck: true });
  say(`after ${IDLE_SECONDS} s idle the connection works: ${msg && msg.content.toString()}`);
  await connection.close();
  say('done');
});
