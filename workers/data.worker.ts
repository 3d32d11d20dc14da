// The data worker: CSV reading, health report and recipe, off the main thread. One API object, via Comlink.
import * as Comlink from 'comlink';
import { registerMessageErrors } from './messages/comlink.ts';
import { dataApi } from './data/api.ts';

registerMessageErrors();
Comlink.expose(dataApi);
export type DataApi = typeof dataApi;
