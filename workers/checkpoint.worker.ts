// The checkpoint worker, started by the trainer worker: it writes the checkpoints of a run into the
// lab's database. IndexedDB clones a big network's tens of MB on the thread that writes them (half a
// second and more on a slow laptop); here, that thread is not the trainer's, which goes on training
// and answers Pause and Stop meanwhile. One API object (workers/store/checkpoint-save.ts), via Comlink.
import * as Comlink from 'comlink';
import { registerMessageErrors } from './messages/comlink.ts';
import { checkpointApi } from './store/checkpoint-save.ts';

registerMessageErrors();
Comlink.expose(checkpointApi);
export type CheckpointApi = typeof checkpointApi;
