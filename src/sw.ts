/// <reference lib="webworker" />
// The service worker: precaches the whole app for offline use and adds the cross-origin isolation
// headers to every response it serves, so SharedArrayBuffer works even on a static host that sends none.
// It also receives files shared from other apps (the manifest's share_target): it parks them in a
// cache and opens the app, which picks them up (src/lib/state/launch.svelte.ts).
import { clientsClaim } from 'workbox-core';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute, setDefaultHandler } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

const ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A copy of the response with the isolation headers set (opaque responses cannot be copied). */
function withIsolation(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0)
    return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** Where shared files wait for the page (the page reads and deletes them). */
const SHARED_CACHE = 'backprop-lab-shared';
/** The most bytes of shared files kept (a bigger share is refused, the page says so). */
const SHARED_LIMIT = 200 * 1024 * 1024;

/** A share from another app: the files of the form go to the cache, then the app opens on them. */
async function receiveShare(request: Request): Promise<Response> {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  let stored = 0;
  try {
    const form = await request.formData();
    const files = form.getAll('files').filter((f): f is File => f instanceof File);
    const cache = await caches.open(SHARED_CACHE);
    let bytes = 0;
    for (const [i, f] of files.entries()) {
      bytes += f.size;
      if (bytes > SHARED_LIMIT) break;
      const key = new URL(`shared/${id}/${i}`, self.registration.scope).href;
      await cache.put(
        key,
        new Response(f, {
          headers: {
            'content-type': f.type || 'text/csv',
            'x-file-name': encodeURIComponent(f.name || 'shared.csv'),
          },
        }),
      );
      stored++;
    }
  } catch {
    // an unreadable share: the page says that nothing arrived
  }
  const to = new URL('./', self.registration.scope);
  to.searchParams.set('share-target', stored > 0 ? id : 'none');
  return Response.redirect(to.href, 303);
}
registerRoute(
  ({ url, request }) =>
    request.method === 'POST' &&
    url.pathname === new URL('share-target', self.registration.scope).pathname,
  ({ request }) => receiveShare(request),
  'POST',
);

addPlugins([{ handlerWillRespond: async ({ response }) => withIsolation(response) }]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Any navigation inside the app's scope opens the app, except a direct link to a file (a sample CSV).
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/\/[^/?#]+\.(?!html?(?:$|[?#]))[a-z0-9]+(?:$|[?#])/i],
  }),
);
// Anything not precached (same origin only; the app loads nothing from elsewhere) still gets the headers.
setDefaultHandler(async ({ request }) => withIsolation(await fetch(request)));

// The page asks for the waiting worker to take over only when the user agrees to reload.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
clientsClaim();
