// RabbitMQ tutorial 5, topics (https://www.rabbitmq.com/tutorials/tutorial-five-javascript): a
// topic exchange with '*' (exactly one word) and '#' (zero or more words) binding keys.
//
// The tutorial's three bindings, Q1 '*.orange.*', Q2 '*.*.rabbit' and 'lazy.#', and the
// tutorial's routing keys, including those that match no binding and one that matches two
// bindings of Q2 (delivered once); plus Q3 bound with '#', which behaves like a fanout.
'use strict';

const { connect, main, say, waitFor } = require('./tutorial_support');

const EXCHANGE = 'topic_logs';
const END = 'end.orange.rabbit'; // matches Q1 and Q2 (and Q3): the last message every queue gets

main(async () => {
  const emitter = await connect();
  const channel = await emitter.createChannel();
  await channel.assertExchange(EXCHANGE, 'topic', { durable: false });

  const consumer = await connect();
  async function subscribe(bindingKeys) {
    const ch = await consumer.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    for (const key of bindingKeys) await ch.bindQueue(queue, EXCHANGE, key);
    const received = [];
    await ch.consume(queue, (msg) => received.push(msg.content.toString()), { noAck: true });
    return received;
  }

  const q1 = await subscribe(['*.orange.*']);
  const q2 = await subscribe(['*.*.rabbit', 'lazy.#']);
  const q3 = await subscribe(['#']);

  for (const key of [
    'quick.orange.rabbit',
    'lazy.orange.elephant',
    'quick.orange.fox',
    'lazy.brown.fox',
    'lazy.pink.rabbit',
    'quick.brown.fox',
    'orange',
    'quick.orange.new.rabbit',
    'lazy.orange.new.rabbit',
    'lazy',
    'quick.orange.male.rabbit',
    '',
    END,
  ]) {
    channel.publish(EXCHANGE, key, Buffer.from(key || '(empty)'));
  }
  await waitFor(
    () => q1.includes(END) && q2.includes(END) && q3.includes(END),
    'the messages at Q1, Q2, Q3',
  );
  say(`Q1 '*.orange.*': ${q1.join(' ')}`);
  say(`Q2 '*.*.rabbit' 'lazy.#': ${q2.join(' ')}`);
  say(`Q3 '#': ${q3.join(' ')}`);

  await consumer.close();
  await channel.deleteExchange(EXCHANGE);
  await emitter.close();
  say('done');
});
