// A plain static file server for the e2e suite: no COOP/COEP unless asked, correct MIME types, and a
// root that can be switched to another build (to serve an update in place of the first version).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.woff2': 'font/woff2',
};

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface StaticServerOptions {
  /** The folder served at `/`. */
  root: string;
  /** Extra headers on every response (e.g. ISOLATION_HEADERS); none by default, like a plain host. */
  headers?: Record<string, string>;
  /** Port to listen on; 0 (the default) lets the system pick a free one, so parallel runs never collide. */
  port?: number;
}

export interface StaticServer {
  readonly url: string;
  readonly port: number;
  /** Every path requested so far, in order. */
  readonly requests: readonly string[];
  /** Serve another folder from now on (the next request sees it). */
  setRoot(dir: string): void;
  /** Answer `path` with this body instead of the file (e.g. a different service worker). */
  override(path: string, body: string, contentType: string): void;
  close(): Promise<void>;
}

export async function startStaticServer(opts: StaticServerOptions): Promise<StaticServer> {
  let root = resolve(opts.root);
  const headers = opts.headers ?? {};
  const overrides = new Map<string, { body: string; type: string }>();
  const requests: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname);
    const send = (status: number, type: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, {
        'Content-Type': type,
        'Cache-Control': 'no-cache',
        ...headers,
        ...extra,
      });
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
      res.end('Method not allowed');
      return;
    }
    const o = overrides.get(url.pathname);
    if (o) {
      send(200, o.type);
      res.end(req.method === 'HEAD' ? undefined : o.body);
      return;
    }
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(url.pathname)));
    } catch {
      send(400, 'text/plain; charset=utf-8');
      res.end('Bad path');
      return;
    }
    if (path !== root && !path.startsWith(root + sep)) {
      send(403, 'text/plain; charset=utf-8');
      res.end('Forbidden');
      return;
    }
    let info = await stat(path).catch(() => null);
    if (info?.isDirectory()) {
      path = join(path, 'index.html');
      info = await stat(path).catch(() => null);
    }
    if (!info?.isFile()) {
      send(404, 'text/plain; charset=utf-8');
      res.end('Not found');
      return;
    }
    send(200, MIME[extname(path).toLowerCase()] ?? 'application/octet-stream', {
      'Content-Length': String(info.size),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(path).pipe(res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(String(e));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    setRoot(dir) {
      root = resolve(dir);
    },
    override(path, body, type) {
      overrides.set(path, { body, type });
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
