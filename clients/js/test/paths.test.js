// Reliable delivery on the paths real apps take (issue 25), against the local gateway: exclusions (noEcho,
// exceptConnectionIds) live and across a resume, a group the server adds the connection to, a join with rewind, an
// async notify interleaved with sync ones, and a store that loses its data (a new epoch).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useGateway, clientOf, parsed, startGateway, until } from './gateway.js';

const gatewayOf = useGateway('--parameter', 'ResumeWindowSeconds=5');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A reliable client whose getToken waits while `c.awayUntil` is in the future: how a test keeps it away. */
function reliableClient(gateway, user, options = {}) {
  const c = clientOf(gateway, user, {
    reliable: true,
    initialDelayMs: 200,
    maxDelayMs: 2000,
    getToken: async () => {
      while (Date.now() < c.awayUntil) {
        await sleep(50);
      }
      return gateway.token(user);
    },
    ...options,
  });
  c.awayUntil = 0;
  return c;
}

const values = (c) => c.events.filter((e) => e.event === 'message' || e.event === 'group-message');
const ns = (c) => values(c).map((e) => (e.event === 'message' ? e.value.n : e.value.data.n));
const sentResumes = (c) => parsed(c.frames, (f) => f.direction === 'out' && f.action === 'resume');

test('an excluded message never reaches the excluded client: skipped live, skipped in a resume', async () => {
  const gateway = gatewayOf();
  const a = reliableClient(gateway, 'ex-a');
  const b = reliableClient(gateway, 'ex-b');
  for (const c of [a, b]) {
    await c.client.start();
    await c.client.joinGroup('ex-room');
  }
  const resumesBefore = sentResumes(a).length;
  await a.client.sendToGroup('ex-room', { n: 1 }, { noEcho: true });
  await gateway.notify({ group: 'ex-room', message: { n: 2 } });
  await a.client.sendToGroup('ex-room', { n: 3 }, { noEcho: true });
  await gateway.notify({ group: 'ex-room', message: { n: 4 } });
  await until('b has all four', () => values(b).length === 4);
  await until('a has the two for it', () => values(a).length === 2);

  // away: a message excluded from its last connection is sent while it is gone
  const old = a.client.connectionId;
  a.awayUntil = Date.now() + 60000;
  a.sockets.at(-1).terminate();
  await until('a dropped', () => a.count('disconnected') === 1);
  await gateway.notify({ group: 'ex-room', message: { n: 5 }, exceptConnectionIds: [old] });
  await gateway.notify({ group: 'ex-room', message: { n: 6 } });
  a.awayUntil = 0;
  await until('a is back with 6', () => ns(a).includes(6), 30000);
  await sleep(500);

  assert.deepEqual(ns(a), [2, 4, 6], 'never its own nor the excluded one');
  assert.deepEqual(ns(b).sort(), [1, 2, 3, 4, 5, 6]);
  assert.equal(a.count('gap'), 0);
  const skips = parsed(a.frames, (f) => f.direction === 'in')
    .flatMap((f) => (f.type === 'replay' ? f.frames : [f]))
    .filter((f) => f.type === 'skip')
    .map((f) => f.seq);
  assert.deepEqual(skips, [1, 3, 5], 'told each number is not for it');
  const resumes = sentResumes(a);
  assert.equal(resumes.length, resumesBefore + 1, 'no resume for a skipped number: only the reconnect');
  assert.deepEqual(resumes.at(-1).previous, [old], 'the resume names the connection it replaces');
});

test('a group the server adds the connection to, or links the user to, delivers from its first message', async () => {
  const gateway = gatewayOf();
  const c = reliableClient(gateway, 'added-u');
  await c.client.start();
  const id = encodeURIComponent(/** @type {string} */ (c.client.connectionId));
  await gateway.call('PUT', `/groups/added-room/connections/${id}`);
  await gateway.notify({ group: 'added-room', message: { n: 1 } });
  await gateway.notify({ group: 'added-room', message: { n: 2 } });
  await until('both arrived', () => values(c).length === 2);
  assert.deepEqual(ns(c), [1, 2]);

  // a link applied at connect: the next connection is in the group from its $connect
  await gateway.call('PUT', '/groups/linked-room/users/added-u');
  await gateway.call('DELETE', `/connections/${id}`);
  await until('back', () => c.count('connected') === 2, 30000);
  await gateway.notify({ group: 'linked-room', message: { n: 3 } });
  await until('the linked group message arrived', () => ns(c).includes(3));
  assert.deepEqual(ns(c), [1, 2, 3]);
  assert.equal(c.count('gap'), 0);
});

test('joinGroup with rewind gets the last messages kept, then the live ones, in order', async () => {
  const gateway = gatewayOf();
  const keeper = reliableClient(gateway, 'rw-keeper'); // a reliable member: the group's messages are kept
  await keeper.client.start();
  await keeper.client.joinGroup('rw-room');
  for (let n = 0; n < 30; n++) {
    await gateway.notify({ group: 'rw-room', message: { n } });
  }
  const late = reliableClient(gateway, 'rw-late');
  await late.client.start();
  await late.client.joinGroup('rw-room', { rewind: 10 });
  await gateway.notify({ group: 'rw-room', message: { n: 30 } });
  await until('the live one arrived', () => ns(late).includes(30));
  const join = parsed(late.frames, (f) => f.direction === 'out' && f.action === 'join')[0];
  assert.equal(join.rewind, 10);
  assert.deepEqual(
    ns(late),
    Array.from({ length: 11 }, (_, i) => 20 + i),
  );
  assert.equal(late.count('gap'), 0);
  const plain = reliableClient(gateway, 'rw-plain');
  await plain.client.start();
  await plain.client.joinGroup('rw-room');
  await gateway.notify({ group: 'rw-room', message: { n: 31 } });
  await until('the live one arrived', () => ns(plain).includes(31));
  assert.deepEqual(ns(plain), [31], 'no history without rewind');
});

test('async notifies interleaved with sync ones: 20 reliable clients get every message once, in order', async () => {
  const gateway = gatewayOf();
  const clients = Array.from({ length: 20 }, (_, i) => reliableClient(gateway, `mix-${i}`));
  await Promise.all(clients.map((c) => c.client.start()));
  await Promise.all(clients.map((c) => c.client.joinGroup('mix-room')));
  const before = clients.map((c) => sentResumes(c).length);
  const ids = [];
  for (let n = 0; n < 20; n++) {
    const answer = await gateway.notify({ group: 'mix-room', message: { n }, async: n % 2 === 0 });
    if (answer.statusUrl) {
      ids.push(answer.statusUrl);
    }
  }
  await until('every client has all 20', () => clients.every((c) => values(c).length >= 20), 60000);
  const seqsOf = (c) => values(c).map((e) => e.meta.seq);
  let resumes = 0;
  for (const [i, c] of clients.entries()) {
    assert.deepEqual(
      [...ns(c)].sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, n) => n),
      'each once',
    );
    const seqs = seqsOf(c);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x, y) => x - y),
      'in order of seq',
    );
    assert.equal(c.count('gap'), 0);
    resumes += sentResumes(c).length - before[i];
  }
  console.log(`mixed: 20 clients, 10 async and 10 sync notifies, ${resumes} hole resumes in all`);
  assert.ok(resumes <= clients.length * 10, 'at most one resume per client and missing number');
  assert.equal(ids.length, 10);
});

// A gateway of its own, whose table the test deletes (as a restore or a wipe would lose the store's data).
let wiped;
before(async () => {
  wiped = await startGateway();
});
after(async () => {
  await wiped?.stop();
});

test('the store loses its data: the client resets the stream (a gap marked reset) and gets the 3 messages after', async () => {
  const gateway = wiped;
  const c = reliableClient(gateway, 'wipe-u');
  await c.client.start();
  await c.client.joinGroup('wipe-room');
  for (let n = 0; n < 3; n++) {
    await gateway.notify({ group: 'wipe-room', message: { n } });
  }
  await until('the first three', () => values(c).length === 3);
  await gateway.wipe();
  await until('reconnected after the wipe', () => c.count('connected') === 2, 30000);
  for (let n = 3; n < 6; n++) {
    await gateway.notify({ group: 'wipe-room', message: { n } });
  }
  await until('the three after the wipe', () => values(c).length === 6, 30000);
  assert.deepEqual(ns(c), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(
    values(c).map((e) => e.meta.seq),
    [1, 2, 3, 1, 2, 3],
    'numbered again from 1',
  );
  const gaps = c.events.filter((e) => e.event === 'gap').map((e) => e.value);
  assert.equal(gaps.length, 1, JSON.stringify(gaps));
  assert.equal(gaps[0].reset, true);
  assert.equal(gaps[0].from, 4);
  await c.client.stop();
});
