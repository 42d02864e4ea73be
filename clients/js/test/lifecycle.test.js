// The client's lifecycle against the real gateway: stop() at any moment of a connect, start()'s bounded waits and
// refusals, the public state, shouldReconnect and the logger.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { useGateway, clientOf, until, within, settle, connectionsOf } from './gateway.js';
import { startProxy } from './proxy.js';

const gatewayOf = useGateway();
const proxies = [];
after(() => Promise.all(proxies.map((p) => p.close())));

async function proxy() {
  const p = await startProxy(gatewayOf().url);
  proxies.push(p);
  return p;
}

const closed = (c) => c.sockets.every((s) => s.readyState === WebSocket.CLOSED);

test(
  'stop() while getToken is in flight: no socket is ever opened, nothing is emitted',
  { timeout: 60000 },
  async () => {
    let release;
    const token = new Promise((resolve) => {
      release = resolve;
    });
    const c = clientOf(gatewayOf(), 'js-stop-token', { getToken: () => token });
    const started = c.client.start();
    started.catch(() => {});
    await settle();

    await c.client.stop();
    const eventsAtStop = c.events.length;
    release(await gatewayOf().token('js-stop-token'));
    await settle(20);

    await assert.rejects(started, (e) => e.code === 'stopped');
    assert.equal(c.sockets.length, 0, 'no socket after stop()');
    assert.deepEqual(
      c.events.slice(eventsAtStop).map((e) => e.event),
      [],
      'nothing emitted after stop() resolved',
    );
    assert.equal(c.client.state, 'stopped');
  },
);

test(
  'stop() while the handshake is in flight: the socket is closed when stop() resolves',
  { timeout: 60000 },
  async () => {
    const p = await proxy();
    p.mode = 'blackhole';
    const c = clientOf(gatewayOf(), 'js-stop-handshake', { url: p.url });
    const started = c.client.start();
    started.catch(() => {});
    await until('the socket is connecting', () => c.sockets.length === 1);

    await c.client.stop();

    assert.ok(closed(c), 'every socket closed once stop() resolved');
    await assert.rejects(started, (e) => e.code === 'stopped');
    assert.equal(c.count('connected'), 0);
    assert.equal(c.client.state, 'stopped');
  },
);

test(
  'stop() while the connection is being set up: it is closed, and the server no longer has it',
  { timeout: 60000 },
  async () => {
    const p = await proxy();
    p.mode = 'mute'; // the handshake passes, the client's first frames never reach the server
    const c = clientOf(gatewayOf(), 'js-stop-setup', { url: p.url });
    const started = c.client.start();
    started.catch(() => {});
    await until('the socket is open', () => c.open().length === 1);
    await until(
      'the server has the connection',
      async () => (await connectionsOf(gatewayOf(), 'js-stop-setup')).length === 1,
    );

    await c.client.stop();
    const eventsAtStop = c.events.length;

    assert.ok(closed(c), 'every socket closed once stop() resolved');
    await until(
      'the server has no connection of the user',
      async () => (await connectionsOf(gatewayOf(), 'js-stop-setup')).length === 0,
    );
    await assert.rejects(started, (e) => e.code === 'stopped');
    assert.deepEqual(
      c.events.slice(eventsAtStop).map((e) => e.event),
      [],
      'nothing emitted after stop() resolved',
    );
    assert.equal(c.count('connected'), 0);
  },
);

test(
  'React StrictMode: start, stop while connecting, start again: one connection, connected once',
  { timeout: 60000 },
  async () => {
    const p = await proxy();
    p.mode = 'mute';
    const c = clientOf(gatewayOf(), 'js-strict', { url: p.url });
    const first = c.client.start(); // mount
    first.catch(() => {});
    await until('the first connection is being set up', () => c.open().length === 1);
    p.mode = 'forward';

    const stopped = c.client.stop(); // unmount
    await c.client.start(); // mount again, without waiting for the stop
    await stopped;

    await assert.rejects(first, (e) => e.code === 'stopped');
    assert.equal(c.client.state, 'connected');
    assert.equal(c.count('connected'), 1);
    assert.equal(c.open().length, 1, 'one open socket');
    assert.equal(c.sockets[0].readyState, WebSocket.CLOSED, 'the first mount left nothing open');
    await until(
      'the server has one connection of the user',
      async () => (await connectionsOf(gatewayOf(), 'js-strict')).length === 1,
    );
    await c.client.stop();
  },
);

test(
  'a connect whose handshake never finishes times out, and the next attempt connects',
  { timeout: 60000 },
  async () => {
    const p = await proxy();
    p.mode = 'blackhole';
    const c = clientOf(gatewayOf(), 'js-connect-timeout', {
      url: p.url,
      connectTimeoutMs: 500,
      initialDelayMs: 50,
      maxDelayMs: 100,
    });
    const started = c.client.start();
    await until('a connect attempt timed out', () =>
      c.events.some((e) => e.event === 'error' && e.value.code === 'connect_timeout'),
    );
    p.mode = 'forward';

    await within('start() resolves', started, 20000);

    assert.equal(c.client.state, 'connected');
    assert.equal(c.open().length, 1);
    await until('the timed-out sockets are closed', () =>
      c.sockets.slice(0, -1).every((s) => s.readyState === WebSocket.CLOSED),
    );
    await c.client.stop();
  },
);

test('start() rejects on a refused token (403) and does not retry', { timeout: 60000 }, async () => {
  const c = clientOf(gatewayOf(), 'js-refused', { getToken: () => 'not-a-token', initialDelayMs: 10, maxDelayMs: 20 });

  await assert.rejects(
    within('start() settles', c.client.start()),
    (e) => e.code === 'connect_refused' && e.status === 403,
  );

  assert.equal(c.client.state, 'stopped');
  assert.equal(c.sockets.length, 1, 'one attempt, no retry');
  assert.equal(c.count('reconnecting'), 0);
  await until('stopped is emitted with the refusal', () => c.count('stopped') === 1);
  assert.equal(c.events.find((e) => e.event === 'stopped').value.error.status, 403);
});

test('start() takes an AbortSignal: aborting it stops the client and start() rejects', { timeout: 60000 }, async () => {
  const p = await proxy();
  p.mode = 'blackhole';
  const c = clientOf(gatewayOf(), 'js-abort-start', { url: p.url });
  const controller = new AbortController();
  const started = c.client.start({ signal: controller.signal });
  await until('the socket is connecting', () => c.sockets.length === 1);

  controller.abort();

  await assert.rejects(within('start() settles', started), (e) => e.code === 'aborted');
  assert.equal(c.client.state, 'stopped');
  await until('the socket is closed', () => closed(c));
});

test('operations take an AbortSignal: one aborted before it is sent sends nothing', { timeout: 60000 }, async () => {
  const c = clientOf(gatewayOf(), 'js-abort-op');
  await c.client.start();
  const sentBefore = c.sockets[0].sent.length;

  await assert.rejects(c.client.joinGroup('js-never', { signal: AbortSignal.abort() }), (e) => e.code === 'aborted');
  const controller = new AbortController();
  const sending = c.client.sendToGroup('js-abort-room', 1, { signal: controller.signal });
  controller.abort();
  await assert.rejects(sending, (e) => e.code === 'aborted');

  assert.ok(
    c.sockets[0].sent.slice(sentBefore).every((f) => JSON.parse(f.text).action !== 'join'),
    'the join aborted before it was sent was never sent',
  );
  assert.deepEqual(c.client.joinedGroups, []);
  await c.client.stop();
});

test('a frame over 128 KB is refused by the client, and the connection stays open', { timeout: 60000 }, async () => {
  const c = clientOf(gatewayOf(), 'js-big');
  await c.client.start();

  await assert.rejects(
    c.client.sendToGroup('js-big-room', 'x'.repeat(130 * 1024)),
    (e) => e.code === 'message_too_large',
  );
  await c.client.joinGroup('js-big-room');

  assert.equal(c.count('disconnected'), 0);
  assert.equal(c.sockets.length, 1);
  await c.client.stop();
});

test(
  'state and events through a drop: connecting, connected, reconnecting, connected, stopped',
  { timeout: 60000 },
  async () => {
    const c = clientOf(gatewayOf(), 'js-states');
    const states = [c.client.state];
    for (const event of ['connected', 'disconnected', 'stopped']) {
      c.client.on(event, () => states.push(c.client.state));
    }
    const started = c.client.start();
    states.push(c.client.state);
    await started;
    const [id] = await connectionsOf(gatewayOf(), 'js-states');
    await gatewayOf().call('DELETE', `/connections/${encodeURIComponent(id)}`);
    await until('back', () => c.count('connected') === 2);
    await c.client.stop();

    assert.deepEqual(states, ['stopped', 'connecting', 'connected', 'reconnecting', 'connected', 'stopped']);
  },
);

test('shouldReconnect answering no: a drop ends in stopped, with no reconnect', { timeout: 60000 }, async () => {
  const contexts = [];
  const c = clientOf(gatewayOf(), 'js-no-reconnect', {
    shouldReconnect: (context) => {
      contexts.push(context);
      return false;
    },
  });
  await c.client.start();
  const [id] = await connectionsOf(gatewayOf(), 'js-no-reconnect');

  await gatewayOf().call('DELETE', `/connections/${encodeURIComponent(id)}`);
  await until('stopped', () => c.count('stopped') === 1);

  assert.equal(c.client.state, 'stopped');
  assert.equal(c.count('disconnected'), 1);
  assert.equal(c.count('reconnecting'), 0);
  assert.equal(contexts.length, 1);
  assert.equal(contexts[0].attempt, 0);
  assert.equal(contexts[0].closeCode, 1000);
  assert.equal(c.events.find((e) => e.event === 'stopped').value.error.code, 'closed');
  assert.ok(closed(c));
});

test('the logger option hears what the client does', { timeout: 60000 }, async () => {
  const lines = [];
  const logger = {
    debug: (message, fields) => lines.push({ level: 'debug', message, fields }),
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
  };
  const c = clientOf(gatewayOf(), 'js-logged', { logger });
  await c.client.start();
  await c.client.stop();

  const connected = lines.find((l) => l.level === 'info' && l.message === '[groupcast] connected');
  assert.ok(connected, JSON.stringify(lines));
  assert.ok(lines.some((l) => l.message === '[groupcast] stopping'));
});

test(
  "without a WebSocket option it uses the platform's, or else loads the ws package",
  { timeout: 60000 },
  async () => {
    const { GroupcastClient } = await import('../src/index.js');
    const client = new GroupcastClient({ url: gatewayOf().url, getToken: () => gatewayOf().token('js-default-ws') });

    await client.start();
    await client.joinGroup('js-default-ws-room');

    assert.equal(client.state, 'connected');
    await client.stop();
  },
);
