// RabbitMQ tutorial 3, publish/subscribe
// (https://www.rabbitmq.com/tutorials/tutorial-three-javascript): a fanout exchange and, per
// subscriber, an exclusive queue whose name the server picks.
//
// Both subscribers receive every log message in order. Another connection may not consume from
// an exclusive queue (405), and the queue goes away with the connection that declared it (404).
'use strict';

const { closedByBroker, connect, main, say, waitFor } = require('./tutorial_support');

const EXCHANGE = 'logs';
const END = 'end of logs';

main(async () => {
  const emitter = await connect();
  const channel = await emitter.createChannel();
  await channel.assertExchange(EXCHANGE, 'fanout', { durable: false });

  async function subscribe() {
    const connection = await connect();
    const ch = await connection.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, EXCHANGE, '');
    const received = [];
    await ch.consume(queue, (msg) => received.push(msg.content.toString()), { noAck: true });
    return { connection, queue, received };
  }

  const first = await subscribe();
  const second = await subscribe();
  for (const { queue } of [first, second]) {
    say(`server-named queue: ${queue.startsWith('amq.gen-') ? 'amq.gen-...' : queue}`);
  }
  say(`the two names differ: ${first.queue !== second.queue}`);

  for (const line of ['info: Hello World!', 'warning: disk 80% full', 'error: disk full', END]) {
    channel.publish(EXCHANGE, '', Buffer.from(line));
  }
  await waitFor(
    () => first.received.includes(END) && second.received.includes(END),
    'the logs at both',
  );
  say(`first subscriber: ${first.received.join(' | ')}`);
  say(`second subscriber: ${second.received.join(' | ')}`);

  const locked = await closedByBroker(emitter, (ch) =>
    ch.consume(first.queue, () => {}, { noAck: true }),
  );
  say(`another connection consumes the first queue: ${locked.replace(first.queue, '<first queue>')}`);

  await first.connection.close();
  const gone = await closedByBroker(emitter, (ch) => ch.checkQueue(first.queue));
  say(`after its connection closed: ${gone.replace(first.queue, '<first queue>')}`);

  await second.connection.close();
  await channel.deleteExchange(EXCHANGE);
  await emitter.close();
  say('done');
});
