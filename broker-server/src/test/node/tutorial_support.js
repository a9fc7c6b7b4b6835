// What the amqplib tutorial scripts share: where the broker is, printing, waiting with a deadline.
//
// Every script takes the broker's port as its first argument (default 5672, RabbitMQ's, so a
// script runs unchanged against the RabbitMQ on 127.0.0.1:5672; 5671, the amqps port, for the
// tls_* scripts, whose further arguments are PEM files), prints what it received one line at a
// time on stdout, and exits 0 when the scenario completed, non-zero (with the error on
// stderr) when it did not. The JUnit side (AmqplibTutorialsTest) compares the lines with the
// expected ones.
'use strict';

const amqp = require('amqplib');

const HOST = '127.0.0.1';
const DEADLINE_MS = 20_000;

function url(options = {}) {
  const port = process.argv[2] || '5672';
  const password = options.password || 'guest';
  const query = options.heartbeat === undefined ? '' : `?heartbeat=${options.heartbeat}`;
  return `amqp://guest:${encodeURIComponent(password)}@${HOST}:${port}${query}`;
}

function connect(options) {
  return amqp.connect(url(options));
}

/** The n-th argument after the port (1-based), e.g. a PEM file. */
function argument(n, fallback) {
  return process.argv[2 + n] || fallback;
}

/**
 * amqps as amqplib's SSL guide connects (https://amqp-node.github.io/amqplib/ssl.html,
 * examples/ssl.js): an amqps:// URL and Node's tls.connect options (ca, cert, key). 'localhost',
 * the name the server certificate is for, is the name sent (SNI) and checked against it while
 * the socket goes to 127.0.0.1.
 */
function connectTls(tlsOptions) {
  const port = process.argv[2] || '5671';
  return amqp.connect(`amqps://guest:guest@${HOST}:${port}`, {
    servername: 'localhost',
    ...tlsOptions,
  });
}

function say(line) {
  process.stdout.write(`${line}\n`);
}

/** Resolves once done() holds; rejects after the deadline, naming what was awaited. */
async function waitFor(done, what = 'the expected messages') {
  const deadline = Date.now() + DEADLINE_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${DEADLINE_MS / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** 'CODE TEXT' of the channel.close that an operation's failure carries (amqplib puts the text
 * only in the message: '... 404 (NOT-FOUND) with message "NOT_FOUND - no queue ..."'). */
function replyOf(error) {
  const text = /with message "(.*)"$/s.exec(error.message);
  if (error.code === undefined || !text) throw error;
  return `${error.code} ${text[1]}`;
}

/** Runs action(channel) on a new channel (a confirm channel if asked); it must close it. */
async function closedByBroker(connection, action, options = { confirm: false }) {
  const channel = await (options.confirm
    ? connection.createConfirmChannel()
    : connection.createChannel());
  channel.on('error', () => {}); // the same close also rejects the pending operation
  try {
    await action(channel);
  } catch (error) {
    return replyOf(error);
  }
  throw new Error('the broker did not close the channel');
}

/** Runs the scenario; exits 1 with the error on stderr if it fails or hangs. */
function main(scenario) {
  const watchdog = setTimeout(() => {
    process.stderr.write('the scenario did not finish within 60 s\n');
    process.exit(2);
  }, 60_000);
  scenario().then(
    () => clearTimeout(watchdog),
    (error) => {
      process.stderr.write(`${error.stack || error}\n`);
      process.exit(1);
    },
  );
}

module.exports = {
  argument,
  closedByBroker,
  connect,
  connectTls,
  main,
  replyOf,
  say,
  url,
  waitFor,
};
