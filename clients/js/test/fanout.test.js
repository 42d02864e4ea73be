// An async fan-out (issue 25, section 4) seen by 2,000 reliable clients of one group: message 1 is handed to the
// fan-out workers and reaches the members over two minutes, message 2 (a synchronous notify) reaches them all at
// once. Every client sees 2 before 1. The clients must neither storm the partition with resumes (each once after
// 1 s, all in the same millisecond) nor lose or repeat a message. Fake server and fake timers: 2,000 client
// instances of the real GroupcastClient, each on its own fake socket.
import { test, mock, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeServer, fakeClient, flush, seeded } from './fake.js';

before(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 }));
after(() => mock.timers.reset());

const CLIENTS = 2000;
const FANOUT_MS = 120_000;

test(
  `${CLIENTS} reliable clients, an async notify reaching them over 2 minutes after a sync one: each gets both in ` +
    'order, no gap, and their resumes are few per client and spread out',
  { timeout: 300000 },
  async () => {
    const server = new FakeServer();
    const clients = Array.from({ length: CLIENTS }, (_, i) => fakeClient(server, { random: seeded(i + 1) }));
    const starts = clients.map((c) => c.client.start());
    await flush(30);
    await Promise.all(starts);
    const joins = clients.map((c) => c.client.joinGroup('big'));
    await flush(30);
    await Promise.all(joins);
    const socketOf = new Map(server.sockets.map((s) => [s.id, s]));
    const sockets = clients.map((c) => socketOf.get(c.client.connectionId));
    const joined = server.resumes.length;

    const start = Date.now();
    const asyncMessage = server.publish('big', 'async'); // kept at once; the workers post it over two minutes
    const syncMessage = server.publish('big', 'sync');
    const random = seeded(99);
    const due = sockets.map(() => Math.floor(random() * FANOUT_MS));
    for (const socket of sockets) {
      socket.receive(syncMessage);
    }
    const delivered = new Set();
    for (let t = 0; t <= FANOUT_MS + 60_000; t += 100) {
      mock.timers.tick(100);
      for (const [i, socket] of sockets.entries()) {
        if (!delivered.has(i) && due[i] <= t) {
          delivered.add(i);
          socket.receive(asyncMessage);
        }
      }
      await flush(2);
    }

    for (const c of clients) {
      assert.deepEqual(
        c.got.map((m) => m.data),
        ['async', 'sync'],
      );
      assert.deepEqual(c.gaps, []);
      assert.deepEqual(c.errors, []);
    }
    const resumes = server.resumes.slice(joined).map((r) => ({ ...r, at: r.at - start }));
    const perClient = new Map();
    for (const r of resumes) {
      perClient.set(r.socket.id, (perClient.get(r.socket.id) || 0) + 1);
    }
    const perSecond = new Map();
    for (const r of resumes) {
      const second = Math.floor(r.at / 1000);
      perSecond.set(second, (perSecond.get(second) || 0) + 1);
    }
    const busiest = Math.max(...perSecond.values());
    const times = resumes.map((r) => r.at).sort((a, b) => a - b);
    console.log(
      `fan-out: ${CLIENTS} clients, ${resumes.length} resumes (at most ${Math.max(...perClient.values())} per ` +
        `client), from ${times[0]} to ${times.at(-1)} ms after the sync message, busiest second ${busiest}`,
    );
    // Each client asks once: its first ask (holeTimeoutMs 5 s times 1 to 2) fills the hole with the kept message.
    assert.ok(Math.max(...perClient.values()) <= 1, 'at most one resume per client');
    assert.ok(resumes.length <= CLIENTS, 'at most one resume per client');
    // Those reached in the first 5 s never ask; the asks spread over [5 s, 10 s): about CLIENTS / 5 per second.
    assert.ok(times[0] >= 5000, `no ask before 5 s (first: ${times[0]})`);
    assert.ok(times.at(-1) <= 10100, `every ask within 10 s and a tick (last: ${times.at(-1)})`);
    assert.ok(busiest <= (CLIENTS / 5) * 1.3, `no second over 1.3 times CLIENTS / 5 asks (busiest: ${busiest})`);
    await Promise.all(clients.map((c) => c.client.stop()));
  },
);
