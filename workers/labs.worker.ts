// The labs' worker: the maths area's initialization and regularization labs, the inspection sandbox
// and the gradient check, off the main thread. One API object (workers/labs/api.ts), via Comlink; the
// page wraps it in src/lib/engine/labs-bridge.ts and takes its type from here.
import * as Comlink from 'comlink';
import { registerMessageErrors } from './messages/comlink.ts';
import { createLabApi } from './labs/api.ts';

const api = createLabApi();
registerMessageErrors();
Comlink.expose(api);
export type LabApi = typeof api;
