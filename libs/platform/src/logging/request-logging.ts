import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Logger } from 'pino';
import { type HttpLogger, pinoHttp } from 'pino-http';
import { correlationId } from './correlation-id';
import { HTTP_SERIALIZERS } from './logger';

/** Operational endpoints polled every few seconds: their successes would drown the log. */
const QUIET_PATHS = /^\/(health\/|metrics$)/;

/**
 * The request logger middleware: gives each request its correlation id (also returned as `X-Request-Id`),
 * a child logger bound to it (`req.log`, picked up by Nest loggers inside the request), and one completion
 * line with method, path, status and duration.
 */
export function requestLogging(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    serializers: HTTP_SERIALIZERS,
    wrapSerializers: false,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const id = correlationId(request.headers);
      response.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: {
      ignore: (request: IncomingMessage) => QUIET_PATHS.test((request.url ?? '').split('?')[0] ?? ''),
    },
    customLogLevel: (_request, response, error) =>
      error !== undefined || response.statusCode >= 500 ? 'error' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
  });
}
