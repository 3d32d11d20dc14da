// The trainer worker: one API object, exposed with Comlink. The page takes its type from here.
import * as Comlink from 'comlink';
import { registerMessageErrors } from './messages/comlink.ts';
import { api } from './trainer/api.ts';

registerMessageErrors();
Comlink.expose(api);
export type TrainerApi = typeof api;
