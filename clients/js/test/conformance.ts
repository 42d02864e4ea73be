// Compiled by `tsc` in `npm run check` (never run): the JavaScript modules, typed by their JSDoc, fit the public
// declarations in src/index.d.ts. The entry point (src/index.js) only re-exports them; test/package.test.js checks
// its export names at run time.
import type * as Api from '@groupcast/client';
import { GroupcastClient } from '../src/client.js';
import { defaultShouldReconnect } from '../src/lifecycle.js';
import { GroupcastError } from '../src/errors.js';
import { PROTOCOL, RELIABLE_PROTOCOL } from '../src/protocol.js';

export const client: typeof Api.GroupcastClient = GroupcastClient;
export const error: typeof Api.GroupcastError = GroupcastError;
export const reconnect: typeof Api.defaultShouldReconnect = defaultShouldReconnect;
export const protocol: typeof Api.PROTOCOL = PROTOCOL;
export const reliable: typeof Api.RELIABLE_PROTOCOL = RELIABLE_PROTOCOL;
