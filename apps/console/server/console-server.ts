import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CACHE_IMMUTABLE, CACHE_NEVER, securityHeaders } from './security-headers';

export const SERVICE_NAMES = ['intake', 'scheduling', 'sessions', 'notifications'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ConsoleServerOptions {
  /** The built single-page app (index.html and assets/). */
  publicDir: string;
  /** The OpenID Connect issuer and this app's public client id, given to the browser at /config.json. */
  issuer: string;
  clientId: string;
  /** Each service's base URL; `/api/<service>/…` is forwarded there. */
  services: Readonly<Record<ServiceName, string>>;
  /** Whether people reach the console over HTTPS (adds Strict-Transport-Security). */
  https?: boolean;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** Request headers passed on to a service; cookies and anything else stay behind. */
const FORWARDED_REQUEST = [
  'authorization',
  'content-type',
  'accept',
  'idempotency-key',
  'x-request-id',
  'traceparent',
];
const FORWARDED_RESPONSE = ['content-type', 'x-request-id', 'retry-after', 'location'];

/**
 * The console's server: the static build with its security and caching headers, /config.json, and the services
 * under /api/<service> on the same origin (so the browser needs no CORS and the CSP allows only 'self'). It logs
 * nothing about requests: paths carry client ids and bodies carry client data.
 */
export function createConsoleServer(options: ConsoleServerOptions): Server {
  const root = normalize(options.publicDir);
  const indexHtml = readFile(join(root, 'index.html'), 'utf8');
  const config = JSON.stringify({ issuer: options.issuer, clientId: options.clientId });

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    cache: string,
  ): void => {
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': cache,
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const nonce = randomBytes(16).toString('base64');
    for (const [name, value] of Object.entries(
      securityHeaders(nonce, options.issuer, options.https ?? false),
    )) {
      res.setHeader(name, value);
    }
    const url = new URL(req.url ?? '/', 'http://console.local');
    const path = url.pathname;
    if (path.startsWith('/api/')) return proxy(req, res, path, url.search);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', CACHE_NEVER);
    }
    if (path === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok', CACHE_NEVER);
    if (path === '/config.json') return send(res, 200, 'application/json', config, CACHE_NEVER);
    if (path.startsWith('/assets/')) {
      const file = normalize(join(root, path));
      if (!file.startsWith(root + sep))
        return send(res, 404, 'text/plain; charset=utf-8', 'Not found', CACHE_NEVER);
      try {
        const body = await readFile(file);
        return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body, CACHE_IMMUTABLE);
      } catch {
        return send(res, 404, 'text/plain; charset=utf-8', 'Not found', CACHE_NEVER);
      }
    }
    // Every other path is a screen of the app: the page, with this answer's nonce.
    const page = (await indexHtml).replace('__CSP_NONCE__', nonce);
    return send(res, 200, 'text/html; charset=utf-8', page, CACHE_NEVER);
  };

  const proxy = (req: IncomingMessage, res: ServerResponse, path: string, search: string): void => {
    const [, , service, ...rest] = path.split('/');
    const base = (SERVICE_NAMES as readonly string[]).includes(service ?? '')
      ? options.services[service as ServiceName]
      : undefined;
    if (base === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'Not found', CACHE_NEVER);
    const target = new URL(`/${rest.join('/')}${search}`, base);
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    if (req.headers['content-length'] !== undefined)
      headers['content-length'] = req.headers['content-length'];
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      const out: Record<string, string> = { 'Cache-Control': CACHE_NEVER };
      for (const name of FORWARDED_RESPONSE) {
        const value = answer.headers[name];
        if (typeof value === 'string') out[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (res.headersSent) return void res.destroy();
      send(
        res,
        502,
        'application/problem+json',
        JSON.stringify({
          type: 'urn:stepwise:problem:service-unavailable',
          title: `The ${service ?? ''} service did not answer`,
          status: 502,
          code: 'service-unavailable',
        }),
        CACHE_NEVER,
      );
    });
    req.pipe(upstream);
  };

  return createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error', CACHE_NEVER);
      else res.destroy();
    });
  });
}
