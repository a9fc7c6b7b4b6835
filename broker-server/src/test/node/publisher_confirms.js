// RabbitMQ tutorial 7, publisher confirms
// (https://www.rabbitmq.com/tutorials/tutorial-seven-javascript,
// https://amqp-node.github.io/amqplib/channel_api.html#confirmchannel): on a ConfirmChannel each
// publish takes a callback that the broker's basic.ack (or basic.nack) calls, and
// waitForConfirms() resolves once every publish so far is confirmed.
//
// 100 persistent messages to a durable queue are all confirmed, in publish order, and held in
// publish order; an unroutable mandatory publish comes back as basic.return 312 NO_ROUTE before
// its confirm; a publish to a missing exchange closes the channel with 404.
'use strict';

const { closedByBroker, connect, main, say } = require('./tutorial_support');

const QUEUE = 'confirms_queue';
const COUNT = 100;

main(async () => {
  const connection = await connect();
  const channel = await connection.createConfirmChannel();
  await channel.deleteQueue(QUEUE); // a run before this one may have left it on a real RabbitMQ
  await channel.assertQueue(QUEUE, { durable: true });

  const acked = [];
  const nacked = [];
  for (let n = 0; n < COUNT; n++) {
    channel.sendToQueue(
      QUEUE,
      Buffer.from(`message ${n}`),
      { persistent: true, mandatory: true },
      (err) => (err ? nacked : acked).push(n),
    );
  }
  await channel.waitForConfirms();
  const inOrder = acked.every((n, i) => n === i);
  say(
    `${acked.length} persistent messages published and confirmed` +
      (nacked.length ? `, ${nacked.length} nacked` : '') +
      (inOrder ? '' : ', out of order'),
  );

  let returned = null;
  channel.on('return', (msg) => {
    returned = msg;
  });
  let confirmedAfterReturn = null;
  channel.publish('', 'no-such-queue', Buffer.from('lost'), { mandatory: true }, () => {
    confirmedAfterReturn = returned !== null;
  });
  await channel.waitForConfirms();
  say(
    confirmedAfterReturn
      ? `unroutable mandatory publish: returned ${returned.fields.replyCode} ` +
          `${returned.fields.replyText}, body ${returned.content.toString()}`
      : 'unroutable mandatory publish: confirmed without a return',
  );

  const ok = await channel.checkQueue(QUEUE);
  say(`${QUEUE} holds ${ok.messageCount} messages`);
  const bodies = [];
  let done;
  const all = new Promise((resolve) => {
    done = resolve;
  });
  const { consumerTag } = await channel.consume(QUEUE, (msg) => {
    bodies.push(msg.content.toString());
    channel.ack(msg);
    if (bodies.length === COUNT) done();
  });
  await all;
  await channel.cancel(consumerTag);
  say(`consumed in publish order: ${bodies.every((b, i) => b === `message ${i}`)}`);

  const missing = await closedByBroker(
    connection,
    async (ch) => {
      ch.publish('no-such-exchange', '', Buffer.from('x'));
      // waitForConfirms() would only say 'channel closed': a round trip carries the reply
      await ch.checkQueue(QUEUE);
    },
    { confirm: true },
  );
  say(`publish to a missing exchange: ${missing}`);

  await channel.deleteQueue(QUEUE);
  await connection.close();
  say('done');
});
