import { type DestinationStream, type Logger, type LoggerOptions, pino, symbols } from 'pino';
import { type LogLevel } from '../config/service-config';
import { activeTraceId } from '../tracing/trace-context';
import { maskPhi, scrubText } from './phi-redaction';

/** Keys whose values are reduced by the serializers below instead of the PHI walk. */
const SERIALIZED = new Set(['req', 'res']);

interface RequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
}

/**
 * The request as logged: method and path only. The query string is dropped (a search may carry a name),
 * and so are headers (tokens, cookies) and the remote address.
 */
function serializeRequest(request: RequestLike): Record<string, unknown> {
  const url = request.originalUrl ?? request.url ?? '';
  const path = url.split('?')[0] ?? '';
  return { method: request.method, path: scrubText(path) };
}

function serializeResponse(response: { statusCode?: number }): Record<string, unknown> {
  return { statusCode: response.statusCode };
}

/** Serializers for the HTTP objects pino-http logs (also given to it: its own defaults log headers). */
export const HTTP_SERIALIZERS = { req: serializeRequest, res: serializeResponse };

type WithChindings = Logger & { [symbols.chindingsSym]: string };

function maskChildBindings(child: Logger): void {
  const bindings = child.bindings();
  const masked = maskPhi(bindings, SERIALIZED) as Record<string, unknown>;
  if (JSON.stringify(masked) === JSON.stringify(bindings)) return;
  (child as WithChindings)[symbols.chindingsSym] = Object.entries(masked)
    .map(([key, value]) => `,${JSON.stringify(key)}:${JSON.stringify(value)}`)
    .join('');
}

export interface LoggerSettings {
  readonly service: string;
  readonly level: LogLevel;
  /** Where lines go; standard output by default (synchronous for files and pipes on Linux). */
  readonly destination?: DestinationStream;
}

/** pino options shared by every logger of a service: JSON lines, ISO time, PHI masked at every level. */
export function loggerOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    // Every line written while a request or a consumed event is handled names its trace.
    mixin: () => {
      const traceId = activeTraceId();
      return traceId === undefined ? {} : { traceId };
    },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => maskPhi(bindings, SERIALIZED) as Record<string, unknown>,
      log: (object) => maskPhi(object, SERIALIZED) as Record<string, unknown>,
    },
    // Errors were already reduced by formatters.log (which runs first); pino's own serializer would
    // re-label the plain object.
    serializers: { ...HTTP_SERIALIZERS, err: (value: unknown) => value },
    // pino applies formatters.bindings to the root's bindings only; a child's (`logger.child({ client })`)
    // are rewritten here, once per child, so they are masked like everything else.
    onChild: maskChildBindings,
    hooks: {
      // Messages are free text: scrub every string argument (the merge object goes through formatters.log).
      logMethod(args, method) {
        const scrubbed = args.map((arg: unknown) => (typeof arg === 'string' ? scrubText(arg) : arg));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
}

/** The root logger of a service process; request and component loggers are its children. */
export function createLogger(settings: LoggerSettings): Logger {
  return pino(loggerOptions(settings), settings.destination ?? process.stdout);
}
