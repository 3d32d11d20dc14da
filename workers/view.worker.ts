// The view worker: the live views' grids (decision boundary, neuron heatmaps, predicted vs actual)
// computed off the page from the trainer's live weights. One API object, via Comlink.
import * as Comlink from 'comlink';
import { registerMessageErrors } from './messages/comlink.ts';
import { viewApi } from './view/api.ts';

registerMessageErrors();
Comlink.expose(viewApi);
export type ViewApi = typeof viewApi;
