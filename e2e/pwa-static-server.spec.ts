// The test suite's own static server behaves like a plain host: right MIME types, no isolation
// headers unless asked, no way out of its root, and a root that can be switched.
import { test, expect } from '@playwright/test';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISOLATION_HEADERS, startStaticServer } from './support/static-server.ts';

/** A raw GET (no URL normalisation, unlike fetch), so '..' reaches the server as typed. */
function rawGet(
  port: number,
  path: string,
): Promise<{ status: number; type: string; body: string; headers: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        ok({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body,
          headers: res.headers,
        }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

test('serves files with their MIME types, without isolation headers, and never outside its root', async () => {
  const base = mkdtempSync(join(tmpdir(), 'static-server-'));
  const a = join(base, 'a');
  const b = join(base, 'b');
  for (const dir of [a, b]) mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(a, 'index.html'), '<p>A</p>');
  writeFileSync(join(b, 'index.html'), '<p>B</p>');
  writeFileSync(join(a, 'manifest.webmanifest'), '{}');
  writeFileSync(join(a, 'assets', 'k.wasm'), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(join(a, 'assets', 'x.js'), 'export {}');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  const server = await startStaticServer({ root: a });
  const isolated = await startStaticServer({ root: a, headers: { ...ISOLATION_HEADERS } });
  try {
    const index = await rawGet(server.port, '/');
    expect(index).toMatchObject({ status: 200, body: '<p>A</p>' });
    expect(index.type).toMatch(/^text\/html/);
    expect(index.headers['cross-origin-embedder-policy']).toBeUndefined();
    expect(index.headers['cross-origin-opener-policy']).toBeUndefined();
    expect((await rawGet(server.port, '/manifest.webmanifest')).type).toMatch(
      /^application\/manifest\+json/,
    );
    expect((await rawGet(server.port, '/assets/k.wasm')).type).toBe('application/wasm');
    expect((await rawGet(server.port, '/assets/x.js')).type).toMatch(/^text\/javascript/);
    expect((await rawGet(server.port, '/missing.js')).status).toBe(404);
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt'])
      expect((await rawGet(server.port, path)).body, path).not.toContain('secret');

    const withHeaders = await rawGet(isolated.port, '/');
    expect(withHeaders.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(withHeaders.headers['cross-origin-opener-policy']).toBe('same-origin');

    server.setRoot(b);
    expect((await rawGet(server.port, '/')).body).toBe('<p>B</p>');
    server.override('/sw.js', 'self.x = 1', 'text/javascript');
    expect(await rawGet(server.port, '/sw.js')).toMatchObject({ status: 200, body: 'self.x = 1' });
    expect(server.requests).toContain('/manifest.webmanifest');
  } finally {
    await server.close();
    await isolated.close();
    rmSync(base, { recursive: true, force: true });
  }
});
