// The data worker: CSV reading, health report and recipe, off the main thread. One API object, via Comlink.
import * as Comlink from 'comlink';
import { dataApi } from './data/api.ts';

Comlink.expose(dataApi);
export type DataApi = typeof dataApi;
