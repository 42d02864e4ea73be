import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { useGateway, clientOf, until } from './gateway.js';

const gatewayOf = useGateway();

async function memberIds(group) {
  return (await gatewayOf().call('GET', `/groups/${encodeURIComponent(group)}/connections`)).connections;
}

test(
  'connects in the envelope protocol, joins, and tells server messages from group publishes',
  { timeout: 120000 },
  async () => {
    const alice = clientOf(gatewayOf(), 'js-alice');
    const bob = clientOf(gatewayOf(), 'js-bob');
    await alice.client.start();
    await bob.client.start();
    await alice.client.joinGroup('js-room');
    await bob.client.joinGroup('js-room');

    assert.equal(alice.sockets[0].protocol, 'groupcast.json.v1');
    await gatewayOf().notify({ user: 'js-alice', message: { type: 'ack', action: 'join', group: 'js-room' } });
    await bob.client.sendToGroup('js-room', { text: 'hi' }, { noEcho: true });
    await until('alice has both', () => alice.count('message') + alice.count('group-message') === 2);

    assert.deepEqual(alice.events.find((e) => e.event === 'message').value, {
      type: 'ack',
      action: 'join',
      group: 'js-room',
    });
    assert.deepEqual(alice.events.find((e) => e.event === 'group-message').value, {
      group: 'js-room',
      fromUserId: 'js-bob',
      data: { text: 'hi' },
    });
    assert.equal(bob.count('group-message'), 0, 'noEcho');
    assert.deepEqual(alice.client.joinedGroups, ['js-room']);
    await alice.client.stop();
    await bob.client.stop();
    assert.equal(alice.count('stopped'), 1);
  },
);

test('rejects an operation the server refuses, with the error frame code', { timeout: 120000 }, async () => {
  const reader = clientOf(gatewayOf(), 'js-reader', { roles: ['groupcast.joinLeaveGroup.open-*'] });
  await reader.client.start();

  await reader.client.joinGroup('open-1');
  await assert.rejects(reader.client.joinGroup('closed'), (e) => e.code === 'forbidden' && e.group === 'closed');
  await assert.rejects(reader.client.sendToGroup('open-1', 1), (e) => e.code === 'forbidden');

  assert.deepEqual(reader.client.joinedGroups, ['open-1']);
  await reader.client.stop();
});

test(
  'is back in all its groups after the server closes its connection, and the next group notify reaches it',
  { timeout: 120000 },
  async () => {
    const carol = clientOf(gatewayOf(), 'js-carol');
    await carol.client.start();
    await carol.client.joinGroup('js-a');
    await carol.client.joinGroup('js-b');
    const [id] = await memberIds('js-a');

    await gatewayOf().call('DELETE', `/connections/${encodeURIComponent(id)}`);
    await until('carol reconnected', () => carol.count('connected') === 2);
    await until('carol is in js-b again', async () => (await memberIds('js-b')).length === 1);
    await gatewayOf().notify({ groups: ['js-a', 'js-b'], message: 'after' });
    await until('the notify arrived', () => carol.count('message') === 1);

    assert.equal(carol.count('disconnected'), 1);
    assert.notEqual((await memberIds('js-a'))[0], id);
    assert.equal(carol.events.find((e) => e.event === 'message').value, 'after');
    await carol.client.stop();
  },
);

test('is back after its TCP connection drops without a close frame', { timeout: 120000 }, async () => {
  const dan = clientOf(gatewayOf(), 'js-dan');
  await dan.client.start();
  await dan.client.joinGroup('js-drop');

  dan.sockets[0].terminate();
  await until('dan reconnected', () => dan.count('connected') === 2);
  await gatewayOf().notify({ group: 'js-drop', message: 42 });
  await until('the notify arrived', () => dan.count('message') === 1);

  const reconnecting = dan.events.find((e) => e.event === 'reconnecting').value;
  assert.ok(reconnecting.delayMs < 1000, `the first try comes within 1 s, was ${reconnecting.delayMs}`);
  await dan.client.stop();
});

test('retries a failing getToken with growing backoff, then connects', { timeout: 120000 }, async () => {
  let calls = 0;
  const erin = clientOf(gatewayOf(), 'js-erin', {
    initialDelayMs: 50,
    maxDelayMs: 400,
    random: () => 1,
    getToken: async () => {
      calls += 1;
      if (calls <= 3) {
        throw new Error('identity provider down');
      }
      return gatewayOf().token('js-erin');
    },
  });

  await erin.client.start();

  assert.deepEqual(
    erin.events.filter((e) => e.event === 'error').map((e) => e.value.code),
    ['token_failed', 'token_failed', 'token_failed'],
  );
  assert.deepEqual(
    erin.events.filter((e) => e.event === 'reconnecting').map((e) => e.value.delayMs),
    [100, 200, 400],
  );
  assert.equal(erin.count('connected'), 1);
  await erin.client.stop();
});

// Changed this round: a refused token (403) ends start() by default (test/lifecycle.test.js); an app that wants the
// old behaviour says so with shouldReconnect.
test(
  'keeps retrying a refused token when shouldReconnect says so, and stop() ends it',
  { timeout: 120000 },
  async () => {
    const mallory = clientOf(gatewayOf(), 'js-mallory', {
      initialDelayMs: 20,
      maxDelayMs: 40,
      getToken: () => 'not-a-token',
      shouldReconnect: () => true,
    });
    const started = mallory.client.start();
    started.catch(() => {});

    await until('three refusals', () => mallory.count('error') >= 3);
    await mallory.client.stop();

    await assert.rejects(started, (e) => e.code === 'stopped');
    assert.ok(mallory.events.filter((e) => e.event === 'error').every((e) => e.value.code === 'connect_refused'));
    assert.equal(mallory.count('connected'), 0);
    assert.equal(mallory.count('stopped'), 1);
  },
);

test('the demo page loads the client from the gateway, and every module it imports', { timeout: 60000 }, async () => {
  const http = gatewayOf().http;
  const page = await (await fetch(`${http}/`)).text();
  const entry = /from "(\/client\/[^"]+)"/.exec(page)[1];
  const seen = new Map();
  const load = async (url) => {
    if (seen.has(url.pathname)) {
      return;
    }
    const answer = await fetch(url);
    assert.equal(answer.status, 200, `${url.pathname}: ${answer.status}`);
    assert.match(answer.headers.get('content-type'), /^text\/javascript/);
    const text = await answer.text();
    seen.set(url.pathname, text);
    for (const [, specifier] of text.matchAll(/^(?:import|export) [^;]*? from '([^']+)';/gm)) {
      await load(new URL(specifier, url));
    }
  };

  await load(new URL(entry, http));

  const src = new URL('../src/', import.meta.url);
  assert.equal(seen.get('/client/groupcast-client.js'), await readFile(new URL('index.js', src), 'utf8'));
  const modules = [...seen.keys()].filter((p) => p !== '/client/groupcast-client.js').sort();
  assert.deepEqual(
    modules,
    (await readdir(src))
      .filter((f) => f.endsWith('.js') && f !== 'index.js')
      .map((f) => `/client/${f}`)
      .sort(),
  );
  for (const path of modules) {
    assert.equal(
      seen.get(path),
      await readFile(new URL(path.slice('/client/'.length), src), 'utf8'),
      `the jar's ${path} is not src's: rebuild it (mvn -B -DskipTests -pl local -am package)`,
    );
  }
});
