// RabbitMQ tutorial 6, RPC (https://www.rabbitmq.com/tutorials/tutorial-six-javascript) as the
// tutorial writes it: the client declares an exclusive server-named callback queue, sends each
// request with replyTo and a fresh correlationId, and takes the reply whose correlationId is its
// request's.
'use strict';

const { randomUUID } = require('node:crypto');
const { RPC_QUEUE, startServer } = require('./rpc_support');
const { connect, main, say, waitFor } = require('./tutorial_support');

main(async () => {
  const server = await connect();
  const seenReplyTo = [];
  const serverChannel = await startServer(server, seenReplyTo);

  const client = await connect();
  const channel = await client.createChannel();
  const { queue: callbackQueue } = await channel.assertQueue('', { exclusive: true });
  const replies = new Map();
  await channel.consume(
    callbackQueue,
    (msg) => replies.set(msg.properties.correlationId, msg.content.toString()),
    { noAck: true },
  );

  async function call(n) {
    const correlationId = randomUUID();
    channel.sendToQueue(RPC_QUEUE, Buffer.from(String(n)), {
      correlationId,
      replyTo: callbackQueue,
    });
    await waitFor(() => replies.has(correlationId), `the reply to fib(${n})`);
    const reply = replies.get(correlationId);
    replies.delete(correlationId);
    return reply;
  }

  for (const n of [0, 1, 2, 10, 30]) say(`fib(${n}) = ${await call(n)}`);
  say(
    'the server saw reply_to = the callback queue: ' +
      `${seenReplyTo.every((r) => r === callbackQueue)}`,
  );
  say(`unmatched replies: ${replies.size}`);

  await client.close();
  await serverChannel.deleteQueue(RPC_QUEUE);
  await server.close();
  say('done');
});
