// Compiled by `tsc` in the tests (never run): the declarations describe the API the README and the guide show.
import WebSocket from 'ws';
import {
  GroupcastClient,
  GroupcastError,
  PROTOCOL,
  RELIABLE_PROTOCOL,
  defaultShouldReconnect,
  type ConnectionState,
  type GroupMessage,
  type JoinOptions,
  type StreamGap,
} from '@groupcast/client';

async function example(): Promise<void> {
  const client = new GroupcastClient({
    url: 'wss://abc.execute-api.us-east-1.amazonaws.com/prod',
    getToken: async () => 'jwt',
    WebSocket,
  });
  client.on('connected', ({ reconnected }) => console.log(reconnected ? 'back' : 'connected'));
  client.on('disconnected', ({ code }) => console.log('dropped', code));
  client.on('reconnecting', ({ attempt, delayMs }) => console.log(attempt, delayMs));
  client.on('message', (data) => console.log('server said', data));
  client.on('group-message', (message: GroupMessage) => console.log(message.group, message.fromUserId, message.data));
  client.on('error', (error: GroupcastError) => console.log(error.code, error.group));
  client.on('gap', ({ stream, from, to }) => console.log(`${stream} lost ${from}..${to}`));
  client.on('gap', (gap: StreamGap) => console.log(gap.reset ? `${gap.stream} began again` : gap.epoch));
  client.on('connected', ({ connectionId, userId }) => console.log(connectionId, userId));
  client.on('stopped', ({ error }) => console.log(error?.code, error?.status, error?.closeCode));
  const careful = new GroupcastClient({
    url: 'ws://localhost:3001/',
    getToken: () => 'jwt',
    logger: console,
    connectTimeoutMs: 5000,
    shouldReconnect: (context) => context.attempt < 10 && defaultShouldReconnect(context),
  });
  await careful.start({ signal: AbortSignal.timeout(30000) });
  await careful.joinGroup('room-1', { signal: AbortSignal.timeout(1000) });
  const rewind: JoinOptions = { rewind: 20 };
  await careful.joinGroup('room-2', rewind);
  await careful.joinGroup('room-3', { rewindSeconds: 60 });
  await careful.sendToGroup('room-1', 1, { noEcho: false, signal: new AbortController().signal });
  await careful.leaveGroup('room-1', {});
  const state: ConnectionState = careful.state;
  const ids: [string | undefined, string | undefined] = [careful.connectionId, careful.userId];
  console.log(state, ids);
  const reliable = new GroupcastClient({
    url: 'ws://localhost:3001/',
    getToken: () => 'jwt',
    WebSocket,
    reliable: true,
  });
  const named: 'groupcast.reliable.v1' = RELIABLE_PROTOCOL;
  console.log(reliable.connected, named);
  await client.start();
  await client.joinGroup('room-42');
  await client.sendToGroup('room-42', { text: 'hi' }, { noEcho: true });
  await client.leaveGroup('room-42');
  const groups: string[] = client.joinedGroups;
  const open: boolean = client.connected;
  const protocol: 'groupcast.json.v1' = PROTOCOL;
  console.log(groups, open, protocol);
  await client.stop();
}

void example;
