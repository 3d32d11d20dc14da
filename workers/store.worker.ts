// The store worker: imports and exports of Backprop Lab files off the main thread. One API object
// (workers/store/api.ts), via Comlink; the page wraps it in src/lib/engine/store-bridge.ts.
import * as Comlink from 'comlink';
import { registerMessageErrors } from './messages/comlink.ts';
import { createStoreApi } from './store/api.ts';

registerMessageErrors();
const api = createStoreApi();
Comlink.expose(api);
export type StoreApi = typeof api;
