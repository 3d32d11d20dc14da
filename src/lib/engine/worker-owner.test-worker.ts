// Test fixture for worker-owner.browser.test.ts: a tiny worker with one API object, like the app's.
import * as Comlink from 'comlink';

const api = {
  echo: (x: number) => x,
  /** Never answers (a silent worker). */
  silent: () => new Promise<never>(() => {}),
  /** Dies a moment later with an uncaught error; the call itself never answers. */
  crash: () => {
    setTimeout(() => {
      throw new Error('fixture crash');
    });
    return new Promise<never>(() => {});
  },
};

Comlink.expose(api);
export type FixtureApi = typeof api;
