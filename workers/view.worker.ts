// The view worker: the live views' grids (decision boundary, neuron heatmaps, predicted vs actual)
// computed off the page from the trainer's live weights. One API object, via Comlink.
import * as Comlink from 'comlink';
import { viewApi } from './view/api.ts';

Comlink.expose(viewApi);
export type ViewApi = typeof viewApi;
