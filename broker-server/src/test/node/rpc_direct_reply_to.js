// RabbitMQ tutorial 6, RPC, with direct reply-to (https://www.rabbitmq.com/docs/direct-reply-to):
// the client consumes the pseudo-queue 'amq.rabbitmq.reply-to' in no-ack mode and sends requests
// with replyTo = 'amq.rabbitmq.reply-to'; the server sees a generated name under
// 'amq.rabbitmq.reply-to.' and replies to it through the default exchange, as to any queue.
//
// A publish with that replyTo on a channel that does not consume the pseudo-queue is refused
// (406 PRECONDITION_FAILED), as the RabbitMQ page says.
'use strict';

const { randomUUID } = require('node:crypto');
const { RPC_QUEUE, startServer } = require('./rpc_support');
const { closedByBroker, connect, main, say, waitFor } = require('./tutorial_support');

const REPLY_TO = 'amq.rabbitmq.reply-to';

main(async () => {
  const server = await connect();
  const seenReplyTo = [];
  const serverChannel = await startServer(server, seenReplyTo);

  const client = await connect();
  const channel = await client.createChannel();
  const replies = new Map();
  await channel.consume(
    REPLY_TO,
    (msg) => replies.set(msg.properties.correlationId, msg.content.toString()),
    { noAck: true },
  );

  async function call(n) {
    const correlationId = randomUUID();
    channel.sendToQueue(RPC_QUEUE, Buffer.from(String(n)), { correlationId, replyTo: REPLY_TO });
    await waitFor(() => replies.has(correlationId), `the reply to fib(${n})`);
    const reply = replies.get(correlationId);
    replies.delete(correlationId);
    return reply;
  }

  for (const n of [0, 1, 2, 10, 30]) say(`fib(${n}) = ${await call(n)}`);
  say(
    `the server saw reply_to under ${REPLY_TO}.: ` +
      `${seenReplyTo.every((r) => r.startsWith(`${REPLY_TO}.`))}`,
  );

  const refused = await closedByBroker(client, async (ch) => {
    ch.sendToQueue(RPC_QUEUE, Buffer.from('1'), { replyTo: REPLY_TO });
    // basic.publish has no reply: a round trip after it receives the channel.close
    await ch.checkQueue(RPC_QUEUE);
  });
  say(`publish with reply_to without consuming it: ${refused}`);

  await client.close();
  await serverChannel.deleteQueue(RPC_QUEUE);
  await server.close();
  say('done');
});
