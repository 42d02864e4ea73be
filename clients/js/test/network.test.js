// A network that misbehaves between the client and the real gateway (test/proxy.js): a link that goes dead without
// closing, a browser that comes back online, a new connection whose frames never reach the server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { useGateway, clientOf, until, connectionsOf } from './gateway.js';
import { startProxy } from './proxy.js';

const gatewayOf = useGateway();
const proxies = [];
after(() => Promise.all(proxies.map((p) => p.close())));

async function proxy() {
  const p = await startProxy(gatewayOf().url);
  proxies.push(p);
  return p;
}

const pingsOf = (socket) => socket.sent.filter((f) => JSON.parse(f.text).action === 'ping');

test(
  'a dead link is noticed pongTimeoutMs after the ping, not a keep-alive round later',
  { timeout: 60000 },
  async () => {
    const p = await proxy();
    const keepAliveMs = 3000;
    const pongTimeoutMs = 300;
    const c = clientOf(gatewayOf(), 'js-dead-link', { url: p.url, keepAliveMs, pongTimeoutMs, initialDelayMs: 50 });
    await c.client.start();

    p.freeze(); // the link carries nothing any more, and nothing closes it
    await until('the client noticed', () => c.count('disconnected') === 1, 20000);

    const ping = pingsOf(c.sockets[0]).at(-1);
    assert.ok(ping, 'a ping was sent');
    const noticedAfter = c.events.find((e) => e.event === 'disconnected').at - ping.at;
    assert.ok(
      noticedAfter < pongTimeoutMs + 1500,
      `noticed ${noticedAfter} ms after the ping, within pongTimeoutMs (${pongTimeoutMs}) and slack`,
    );
    await until('back on a new connection', () => c.count('connected') === 2, 20000);
    await c.client.stop();
  },
);

test(
  'in a browser, coming back online pings at once: a dead link is replaced without waiting for the keep-alive',
  { timeout: 60000 },
  async () => {
    // the browser's window and document, as far as the client uses them
    const window = new EventTarget();
    const document = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    globalThis.addEventListener = window.addEventListener.bind(window);
    globalThis.removeEventListener = window.removeEventListener.bind(window);
    globalThis.document = document;
    try {
      const p = await proxy();
      const c = clientOf(gatewayOf(), 'js-online', {
        url: p.url,
        keepAliveMs: 600000,
        pongTimeoutMs: 300,
        initialDelayMs: 50,
      });
      await c.client.start();

      p.freeze();
      window.dispatchEvent(new Event('online'));
      await until('back on a new connection', () => c.count('connected') === 2, 20000);
      assert.equal(pingsOf(c.sockets[0]).length, 1, 'the online event pinged');

      document.visibilityState = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      const socket = c.sockets.at(-1);
      await until('the page being shown pinged', () => pingsOf(socket).length === 1);
      await until('and the pong came', () => socket.received.some((f) => JSON.parse(f.text).type === 'pong'));
      await c.client.stop();
    } finally {
      delete globalThis.addEventListener;
      delete globalThis.removeEventListener;
      delete globalThis.document;
    }
  },
);

test(
  'a connection whose set-up fails is closed: the server keeps no second connection, no copy is delivered',
  { timeout: 60000 },
  async () => {
    const p = await proxy();
    const user = 'js-failed-setup';
    const c = clientOf(gatewayOf(), user, {
      url: p.url,
      ackTimeoutMs: 1000,
      connectTimeoutMs: 2000,
      initialDelayMs: 50,
      maxDelayMs: 100,
    });
    await c.client.start();
    await c.client.joinGroup('js-failed-setup-room');
    const [first] = await connectionsOf(gatewayOf(), user);

    p.mode = 'mute'; // new connections open, but the server never hears their rejoin
    await gatewayOf().call('DELETE', `/connections/${encodeURIComponent(first)}`);
    await until(
      'two set-ups failed',
      () => c.events.filter((e) => e.event === 'error' && e.value.code === 'timeout').length >= 2,
      20000,
    );
    p.mode = 'forward';
    await until('back', () => c.count('connected') === 2, 20000);

    await until(
      'the server has one connection of the user',
      async () => (await connectionsOf(gatewayOf(), user)).length === 1,
      15000,
    );
    await until('the client has one open socket', () => c.open().length === 1, 15000);
    await gatewayOf().notify({ user, message: 'once' });
    await gatewayOf().notify({ group: 'js-failed-setup-room', message: 'then' });
    await until('both arrived', () => c.count('message') >= 2);
    assert.deepEqual(
      c.events.filter((e) => e.event === 'message').map((e) => e.value),
      ['once', 'then'],
    );
    await c.client.stop();
  },
);

test('frames of a connection the client let go of are dropped', { timeout: 60000 }, async () => {
  const p = await proxy();
  const user = 'js-stale-frames';
  const c = clientOf(gatewayOf(), user, {
    url: p.url,
    ackTimeoutMs: 1000,
    connectTimeoutMs: 2000,
    initialDelayMs: 50,
    maxDelayMs: 100,
  });
  await c.client.start();
  const [first] = await connectionsOf(gatewayOf(), user);
  p.mode = 'mute';
  await gatewayOf().call('DELETE', `/connections/${encodeURIComponent(first)}`);
  await until('a set-up failed', () => c.events.some((e) => e.event === 'error' && e.value.code === 'timeout'), 20000);
  p.mode = 'forward';
  await until('back', () => c.count('connected') === 2, 20000);

  // whatever the failed connections still received (the server may send to them until their close reaches it)
  const stale = c.sockets.slice(1, -1);
  const delivered = c.events.filter((e) => e.event === 'message').length;
  for (const socket of stale) {
    socket.emit('message', Buffer.from(JSON.stringify({ type: 'message', from: 'server', data: 'stale' })), false);
  }

  assert.ok(stale.length >= 1);
  assert.equal(
    c.events.filter((e) => e.event === 'message').length,
    delivered,
    'no frame of a let-go connection delivered',
  );
  await c.client.stop();
});
