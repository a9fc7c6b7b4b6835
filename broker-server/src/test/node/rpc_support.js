// The RPC server of RabbitMQ tutorial 6
// (https://www.rabbitmq.com/tutorials/tutorial-six-javascript), shared by the callback-queue and
// the direct reply-to scripts.
'use strict';

const RPC_QUEUE = 'rpc_queue';

function fib(n) {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

/** Serves fib(n) on rpc_queue: one request at a time (prefetch 1), acked after the reply. */
async function startServer(connection, seenReplyTo) {
  const ch = await connection.createChannel();
  await ch.deleteQueue(RPC_QUEUE); // a run before this one may have left it on a real RabbitMQ
  await ch.assertQueue(RPC_QUEUE, { durable: false });
  await ch.prefetch(1);
  await ch.consume(RPC_QUEUE, (msg) => {
    if (msg === null) return; // cancelled by the broker (consumer_cancel_notify): the queue went
    seenReplyTo.push(msg.properties.replyTo);
    const n = Number.parseInt(msg.content.toString(), 10);
    ch.sendToQueue(msg.properties.replyTo, Buffer.from(String(fib(n))), {
      correlationId: msg.properties.correlationId,
    });
    ch.ack(msg);
  });
  return ch;
}

module.exports = { RPC_QUEUE, startServer };
