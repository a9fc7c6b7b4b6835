// RabbitMQ tutorial 4, routing (https://www.rabbitmq.com/tutorials/tutorial-four-javascript): a
// direct exchange; a queue bound with several binding keys, and two queues bound with one key.
//
// The disk writer binds 'error' only; the console binds info, warning and error. A message whose
// routing key has no binding ('debug') reaches no queue.
'use strict';

const { connect, main, say, waitFor } = require('./tutorial_support');

const EXCHANGE = 'direct_logs';
const END = 'end of logs';

main(async () => {
  const emitter = await connect();
  const channel = await emitter.createChannel();
  await channel.assertExchange(EXCHANGE, 'direct', { durable: false });

  async function subscribe(severities) {
    const connection = await connect();
    const ch = await connection.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    for (const severity of severities) await ch.bindQueue(queue, EXCHANGE, severity);
    const received = [];
    await ch.consume(
      queue,
      (msg) => received.push(`${msg.fields.routingKey}:${msg.content.toString()}`),
      { noAck: true },
    );
    return { connection, received };
  }

  const disk = await subscribe(['error']);
  const consoleLog = await subscribe(['info', 'warning', 'error']);

  for (const [severity, message] of [
    ['info', 'Run. Run. Or it will explode.'],
    ['debug', 'nobody listens'],
    ['warning', 'disk 80% full'],
    ['error', 'disk full'],
    ['error', END],
  ]) {
    channel.publish(EXCHANGE, severity, Buffer.from(message));
  }
  await waitFor(
    () => disk.received.includes(`error:${END}`) && consoleLog.received.includes(`error:${END}`),
    'the logs at both',
  );
  say(`disk writer (error): ${disk.received.join(' | ')}`);
  say(`console (info, warning, error): ${consoleLog.received.join(' | ')}`);

  await disk.connection.close();
  await consoleLog.connection.close();
  await channel.deleteExchange(EXCHANGE);
  await emitter.close();
  say('done');
});
