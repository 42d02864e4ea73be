import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGateway, clientOf, until } from './gateway.js';

// A short resume window for the expiry test; the chaos test's clients stay away at most 100 s, inside it.
const windowSeconds = Number(process.env.GROUPCAST_CHAOS_WINDOW || 120);
const gatewayOf = useGateway('--parameter', `ResumeWindowSeconds=${windowSeconds}`);
const shortGatewayOf = useGateway('--parameter', 'ResumeWindowSeconds=3');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A reliable client whose getToken waits while `away` says so: how a test keeps it disconnected for a while. */
function reliableClient(gateway, user) {
  const away = { until: 0 };
  const c = clientOf(gateway, user, {
    reliable: true,
    initialDelayMs: 200,
    maxDelayMs: 2000,
    getToken: async () => {
      while (Date.now() < away.until) {
        await sleep(100);
      }
      return gateway.token(user);
    },
  });
  Object.defineProperty(c, 'awayUntil', {
    get: () => away.until,
    set: (value) => {
      away.until = value;
    },
  });
  return c;
}

/** Drops a client: by the server API (a close it did not ask for) or by cutting its TCP connection. */
async function drop(gateway, c, how) {
  const socket = c.sockets[c.sockets.length - 1];
  if (how === 'server') {
    const ids = (await gateway.call('GET', `/users/${c.user}/connections`)).connections;
    await Promise.all(
      ids.map((id) => gateway.call('DELETE', `/connections/${encodeURIComponent(id)}`).catch(() => {})),
    );
  } else {
    socket.terminate();
  }
}

test(
  'chaos: 10,000 messages to users and groups, some async, some excluded, while reliable clients drop for 0 to 100 s, ' +
    'one joins mid-stream and the server adds one: each once, in order, no gap',
  { timeout: 600000 },
  async () => {
    const gateway = gatewayOf();
    const users = 8;
    const total = Number(process.env.GROUPCAST_CHAOS_MESSAGES || 10000);
    const clients = [];
    for (let i = 0; i < users; i++) {
      const c = reliableClient(gateway, `chaos-${i}`);
      c.user = `chaos-${i}`;
      c.groups = i % 2 === 0 ? ['chaos-even', 'chaos-all'] : ['chaos-odd', 'chaos-all'];
      clients.push(c);
    }
    for (const c of clients) {
      await c.client.start();
      for (const group of c.groups) {
        await c.client.joinGroup(group);
      }
    }
    // never dropped: one joins chaos-all mid-stream, the server adds the other's connection to chaos-odd
    const late = reliableClient(gateway, 'chaos-late');
    const added = reliableClient(gateway, 'chaos-added');
    await late.client.start();
    await added.client.start();
    let lateJoined = Infinity;
    let addedAt = Infinity;

    // who gets message n: one user, one group, or two groups at once (a client in both gets it once)
    const targets = [];
    const targetOf = (n) => {
      const kind = n % 10;
      if (kind < 5) {
        return { user: `chaos-${n % users}` };
      }
      if (kind < 8) {
        return { group: ['chaos-even', 'chaos-odd', 'chaos-all'][n % 3] };
      }
      return { groups: ['chaos-even', 'chaos-all'] };
    };
    const receives = (c, target) =>
      target.user === c.user ||
      c.groups.includes(target.group) ||
      (target.groups || []).some((g) => c.groups.includes(g));
    const inGroup = (target, group) => target.group === group || (target.groups || []).includes(group);
    // messages excluded from a client's connection: `clean` when that was its only connection all through the notify
    const excluded = [];
    const startedAt = [];

    // The producer is paced to last durationMs, so that drops of up to 100 s happen while it sends.
    const durationMs = Number(process.env.GROUPCAST_CHAOS_SECONDS || 105) * 1000;
    let dropping = true;
    const drops = [];
    let k = 0;
    const dropOne = async (c, away) => {
      c.awayUntil = Date.now() + away;
      drops.push({ user: c.user, away: Math.round(away) });
      await drop(gateway, c, k++ % 2 === 0 ? 'server' : 'tcp');
    };
    const dropper = (async () => {
      // every client drops at least once in the first seconds: one for 100 s, one for 60 s, the rest for 0 to 15 s
      for (const [i, c] of clients.entries()) {
        await dropOne(c, i === 0 ? 100000 : i === 1 ? 60000 : Math.random() * 15000);
        await sleep(300);
      }
      while (dropping) {
        await sleep(500 + Math.random() * 1500);
        const c = clients[Math.floor(Math.random() * users)];
        if (dropping && c.client.connected && Date.now() >= c.awayUntil) {
          await dropOne(c, Math.random() < 0.1 ? 30000 + Math.random() * 70000 : Math.random() * 15000);
        }
      }
    })();

    const started = Date.now();
    const producers = 4;
    let next = 0;
    await Promise.all(
      Array.from({ length: producers }, async () => {
        while (next < total) {
          const n = next++;
          const target = targetOf(n);
          targets[n] = target;
          const due = started + (n * durationMs) / total;
          if (due > Date.now()) {
            await sleep(due - Date.now());
          }
          startedAt[n] = Date.now();
          // every 7th handed to the fan-out workers; every 10th (a group's) excluded from one member's connection
          const body = { ...target, message: { n }, async: n % 7 === 0 };
          const victim = n % 10 === 6 ? clients.find((c) => receives(c, target) && c.client.connected) : undefined;
          const before = victim && { id: victim.client.connectionId, sockets: victim.sockets.length };
          if (victim) {
            body.exceptConnectionIds = [before.id];
          }
          await gateway.notify(body);
          if (victim) {
            const clean =
              victim.client.connected &&
              victim.client.connectionId === before.id &&
              victim.sockets.length === before.sockets;
            excluded.push({ n, user: victim.user, clean });
          }
          if (n === Math.floor(total / 3)) {
            const id = encodeURIComponent(added.client.connectionId);
            await gateway.call('PUT', `/groups/chaos-odd/connections/${id}`);
            addedAt = Date.now();
          }
          if (n === Math.floor(total / 2)) {
            late.client.joinGroup('chaos-all').then(() => {
              lateJoined = Date.now();
            });
          }
        }
      }),
    );
    const producedMs = Date.now() - started;
    dropping = false;
    await dropper;
    for (const c of clients) {
      c.awayUntil = 0;
    }

    const cleanlyExcluded = new Set(excluded.filter((e) => e.clean).map((e) => `${e.user}/${e.n}`));
    const maybe = new Set(excluded.filter((e) => !e.clean).map((e) => `${e.user}/${e.n}`));
    const expected = clients.map((c) =>
      targets
        .map((t, n) => (receives(c, t) && !cleanlyExcluded.has(`${c.user}/${n}`) ? n : -1))
        .filter((n) => n >= 0 && !maybe.has(`${c.user}/${n}`)),
    );
    await until(
      'every client has all its messages',
      () => clients.every((c, i) => c.count('message') >= expected[i].length),
      120000,
    ).catch(() => {});

    const longest = Math.max(...drops.map((d) => d.away));
    let received = 0;
    for (const [i, c] of clients.entries()) {
      const got = c.events
        .filter((e) => e.event === 'message')
        .map((e) => e.value.n)
        .filter((n) => !maybe.has(`${c.user}/${n}`));
      received += got.length;
      assert.deepEqual(
        [...got].sort((a, b) => a - b),
        expected[i],
        `${c.user}: every message of its streams, once`,
      );
      assert.equal(
        c.count('gap'),
        0,
        `${c.user}: no gap: ${JSON.stringify(c.events.filter((e) => e.event === 'gap'))}`,
      );
      const seqs = new Map();
      for (const e of c.events.filter((e) => e.event === 'message')) {
        const last = seqs.get(e.meta.stream) || 0;
        assert.ok(e.meta.seq > last, `${c.user} ${e.meta.stream}: in order (${e.meta.seq} after ${last})`);
        seqs.set(e.meta.stream, e.meta.seq);
      }
    }
    // the late joiner and the added client: a run of their group's messages, once, in order, with no gap, that holds
    // every message sent after the join (the add) was answered
    for (const [c, group, since] of [
      [late, 'chaos-all', lateJoined],
      [added, 'chaos-odd', addedAt],
    ]) {
      const mine = c.events.filter((e) => e.event === 'message');
      const got = mine.map((e) => e.value.n);
      assert.equal(new Set(got).size, got.length, `${c.user}: once each`);
      assert.ok(
        got.every((n) => inGroup(targets[n], group) || targets[n].user === c.user),
        `${c.user}: only its group's`,
      );
      const after = targets.map((t, n) => n).filter((n) => inGroup(targets[n], group) && startedAt[n] > since);
      assert.ok(after.length > 100, `${c.user}: ${after.length} messages after it joined`);
      assert.deepEqual(
        after.filter((n) => !got.includes(n)),
        [],
        `${c.user}: every message sent after it joined`,
      );
      const seqs = mine.map((e) => e.meta.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        `${c.user}: in order`,
      );
      assert.equal(c.count('gap'), 0, `${c.user}: no gap`);
    }
    const clean = excluded.filter((e) => e.clean).length;
    console.log(
      `chaos: ${total} messages in ${producedMs} ms, ${drops.length} drops (longest ${longest} ms), ` +
        `${received} deliveries, 0 lost, 0 duplicated, 0 gaps; ${excluded.length} excluded ` +
        `(${clean} never delivered to the excluded client, ${excluded.length - clean} sent while it reconnected)`,
    );
    assert.ok(clean > 50, `${clean} exclusions checked`);
    assert.ok(new Set(drops.map((d) => d.user)).size === users, 'every client dropped at least once');
    assert.ok(longest >= 100000, 'one client stayed away 100 s');
  },
);

test(
  'a client kept away longer than the window gets a gap for exactly the expired range',
  { timeout: 120000 },
  async () => {
    const gateway = shortGatewayOf();
    const c = reliableClient(gateway, 'expired');
    c.user = 'expired';
    await c.client.start();
    await c.client.joinGroup('expiring');

    let n = 0;
    let sending = true;
    const sender = (async () => {
      while (sending) {
        await gateway.notify({ group: 'expiring', message: { n: n++ } });
        await sleep(100);
      }
    })();
    await sleep(1000);
    c.awayUntil = Date.now() + 6000;
    await drop(gateway, c, 'tcp');
    await until('back', () => c.count('connected') === 2, 30000);
    await sleep(1000);
    sending = false;
    await sender;
    await until(
      'the last message arrived',
      () => c.events.some((e) => e.event === 'message' && e.value.n === n - 1),
      10000,
    );

    const got = c.events.filter((e) => e.event === 'message').map((e) => e.value.n);
    const gaps = c.events.filter((e) => e.event === 'gap').map((e) => e.value);
    assert.equal(gaps.length, 1, JSON.stringify(gaps));
    const gap = gaps[0];
    assert.equal(gap.stream, 'expiring');
    const missed = gap.to - gap.from + 1;
    // messages are numbered in the stream from 1 and n from 0: seq = n + 1
    const inGap = Array.from({ length: missed }, (_, i) => gap.from - 1 + i);
    assert.ok(missed > 0);
    assert.deepEqual(
      [...got, ...inGap].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
      'every message delivered or in the gap, never both',
    );
  },
);

test(
  'a reliable client in 100 groups and its user stream resumes in batches the server accepts',
  { timeout: 120000 },
  async () => {
    const gateway = gatewayOf();
    const user = 'js-many-streams';
    const c = reliableClient(gateway, user);
    await c.client.start();
    await Promise.all(Array.from({ length: 100 }, (_, i) => c.client.joinGroup(`js-many-${i}`)));
    await gateway.notify({ user, message: { n: 0 } });
    await until('the first message arrived', () => c.count('message') === 1);
    const [id] = (await gateway.call('GET', `/users/${user}/connections`)).connections;

    c.awayUntil = Date.now() + 60000; // kept away until the message below is in its user stream
    await gateway.call('DELETE', `/connections/${encodeURIComponent(id)}`);
    await until('dropped', () => c.count('disconnected') === 1);
    await gateway.notify({ user, message: { n: 1 } });
    c.awayUntil = 0;
    await until('back', () => c.count('connected') === 2, 30000);
    await until('the message sent while away arrived', () => c.count('message') === 2, 30000);

    const resumes = c.sockets
      .slice(1)
      .flatMap((s) => s.sent.map((f) => JSON.parse(f.text)).filter((f) => f.action === 'resume'));
    assert.ok(resumes.length >= 2, `at least two resume frames, was ${resumes.length}`);
    assert.ok(
      resumes.every((f) => Object.keys(f.streams).length <= 100),
      'none over 100 streams',
    );
    assert.equal(
      new Set(resumes.flatMap((f) => Object.keys(f.streams))).size,
      101,
      'the 100 groups and the user stream',
    );
    assert.deepEqual(
      c.events.filter((e) => e.event === 'error').map((e) => e.value.code),
      [],
    );
    assert.equal((await gateway.call('GET', `/users/${user}/connections`)).connections.length, 1, 'one connection');
    assert.equal(c.open().length, 1);
    assert.deepEqual(
      c.events.filter((e) => e.event === 'message').map((e) => e.value.n),
      [0, 1],
    );
    await c.client.stop();
  },
);
