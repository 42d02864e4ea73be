// How long a client takes to be back in all its groups after a forced drop: 100 drops of one client in three
// groups (half closed by the server API, half cut without a close frame), each timed from the drop to the
// `connected` event, which comes after the rejoins. Prints one JSON line; run from clients/js after building the jar.
import { startGateway, clientOf, until } from '../test/gateway.js';

const drops = Number(process.argv[2] || 100);
const gateway = await startGateway('--quiet');
try {
  const { client, events, sockets } = clientOf(gateway, 'bench-reconnect');
  await client.start();
  for (const group of ['bench-a', 'bench-b', 'bench-c']) {
    await client.joinGroup(group);
  }
  const times = [];
  for (let i = 0; i < drops; i++) {
    const connected = events.filter((e) => e.event === 'connected').length;
    const started = Date.now();
    if (i % 2 === 0) {
      const [id] = (await gateway.call('GET', '/groups/bench-a/connections')).connections;
      await gateway.call('DELETE', `/connections/${encodeURIComponent(id)}`);
    } else {
      sockets[sockets.length - 1].terminate();
    }
    await until('back', () => events.filter((e) => e.event === 'connected').length > connected, 30000);
    times.push(events.filter((e) => e.event === 'connected').at(-1).at - started);
  }
  const members = [];
  for (const group of ['bench-a', 'bench-b', 'bench-c']) {
    members.push((await gateway.call('GET', `/groups/${group}`)).connections);
  }
  await client.stop();
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  console.log(
    JSON.stringify({
      scenario: 'reconnect',
      drops,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      maxMs: times.at(-1),
      inEveryGroupAfter: members.every((n) => n === 1),
      ok: at(0.95) <= 2000 && members.every((n) => n === 1),
    }),
  );
} finally {
  await gateway.stop();
}
