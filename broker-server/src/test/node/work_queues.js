// RabbitMQ tutorial 2, work queues (https://www.rabbitmq.com/tutorials/tutorial-two-javascript):
// a durable queue, persistent messages, fair dispatch with prefetch 1 and manual acks.
//
// Worker A takes task 1 and holds it unacked ("a long task"); with prefetch 1 the broker gives
// every later task to worker B. Then A dies without acking: task 1 comes back to B, redelivered.
// Declaring the queue again as non-durable is refused (406).
'use strict';

const { closedByBroker, connect, main, say, waitFor } = require('./tutorial_support');

const QUEUE = 'task_queue';

main(async () => {
  const producer = await connect();
  const channel = await producer.createChannel();
  await channel.deleteQueue(QUEUE); // a run before this one may have left it on a real RabbitMQ
  await channel.assertQueue(QUEUE, { durable: true });
  const publish = (task) => channel.sendToQueue(QUEUE, Buffer.from(task), { persistent: true });

  async function startWorker(name, ack) {
    const connection = await connect();
    const ch = await connection.createChannel();
    await ch.prefetch(1);
    const received = [];
    await ch.consume(
      QUEUE,
      (msg) => {
        const body = msg.content.toString();
        received.push(body);
        say(
          `${name} received ${body} redelivered=${msg.fields.redelivered}` +
            ` delivery_mode=${msg.properties.deliveryMode}`,
        );
        if (ack) ch.ack(msg);
      },
      { noAck: false },
    );
    return { connection, received };
  }

  const a = await startWorker('A', false);
  publish('task 1.');
  await waitFor(() => a.received.length === 1, 'task 1 at worker A');

  const b = await startWorker('B', true);
  for (let n = 2; n <= 6; n++) publish(`task ${n}${'.'.repeat(n)}`);
  await waitFor(() => b.received.length === 5, 'tasks 2-6 at worker B');
  say(`A holds ${a.received.length} unacked task(s)`);

  await a.connection.close(); // dies without acking task 1
  await waitFor(() => b.received.length === 6, 'task 1 redelivered to worker B');

  const ok = await channel.checkQueue(QUEUE);
  say(`${QUEUE}: ${ok.messageCount} messages, ${ok.consumerCount} consumer(s)`);

  const refused = await closedByBroker(producer, (ch) =>
    ch.assertQueue(QUEUE, { durable: false }),
  );
  say(`redeclare as non-durable: ${refused}`);

  await b.connection.close();
  await channel.deleteQueue(QUEUE);
  await producer.close();
  say('done');
});
