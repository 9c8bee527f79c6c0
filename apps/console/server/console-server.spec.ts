// @vitest-environment node
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServer } from './console-server';

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );

describe('the console server', () => {
  let app: Server;
  let service: Server;
  let base: string;
  let seen: { url: string; method: string; headers: IncomingHttpHeaders; body: string } | undefined;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<meta name="csp-nonce" content="__CSP_NONCE__"><div id="root"></div>',
    );
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    service = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen = { url: req.url ?? '', method: req.method ?? '', headers: req.headers, body };
        res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'tracking=1' });
        res.end('{"ok":true}');
      });
    });
    const serviceUrl = await listen(service);
    app = createConsoleServer({
      publicDir: dir,
      issuer: 'http://127.0.0.1:8180/realms/stepwise',
      clientId: 'stepwise-console',
      services: {
        intake: serviceUrl,
        scheduling: serviceUrl,
        sessions: serviceUrl,
        notifications: serviceUrl,
      },
    });
    base = await listen(app);
  });

  afterAll(() => {
    app.close();
    service.close();
  });

  it('serves the page with a fresh nonce that its CSP allows, never cached', async () => {
    const first = await fetch(`${base}/sessions/0b6f`);
    const second = await fetch(`${base}/today`);
    const page = await first.text();
    const nonce = /content="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(nonce).not.toBe('__CSP_NONCE__');
    const csp = first.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8180");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('caches hashed assets for a year and refuses paths outside them', async () => {
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${base}/assets/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('tells the browser its identity provider', async () => {
    const config = await fetch(`${base}/config.json`);
    expect(await config.json()).toEqual({
      issuer: 'http://127.0.0.1:8180/realms/stepwise',
      clientId: 'stepwise-console',
    });
    expect(config.headers.get('cache-control')).toBe('no-store');
  });

  it('forwards /api/<service> with the token and body, without cookies, and the answer is never cached', async () => {
    const answer = await fetch(`${base}/api/sessions/v1/notes?x=1`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer t0ken',
        'Content-Type': 'application/json',
        'Idempotency-Key': 'k1',
        Cookie: 'session=secret',
      },
      body: '{"a":1}',
    });
    expect(await answer.json()).toEqual({ ok: true });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(seen?.url).toBe('/v1/notes?x=1');
    expect(seen?.method).toBe('POST');
    expect(seen?.body).toBe('{"a":1}');
    expect(seen?.headers['authorization']).toBe('Bearer t0ken');
    expect(seen?.headers['idempotency-key']).toBe('k1');
    expect(seen?.headers['cookie']).toBeUndefined();
    expect((await fetch(`${base}/api/billing/v1/x`)).status).toBe(404);
  });
});
