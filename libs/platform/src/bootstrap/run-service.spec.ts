import { request as httpRequest } from 'node:http';
import {
  Controller,
  Get,
  Injectable,
  type LoggerService,
  Module,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ReadinessRegistry } from '../health/readiness.registry';
import { EVENT_TRANSPORT, HTTP_APPLICATION_OPTIONS, eventTransport, stopGracefully } from './run-service';

/** Nest's log lines, kept instead of printed. */
class KeptLogs implements LoggerService {
  readonly errors: unknown[] = [];
  readonly lines: unknown[] = [];
  log(message: unknown): void {
    this.lines.push(message);
  }
  warn(message: unknown): void {
    this.lines.push(message);
  }
  error(message: unknown): void {
    this.errors.push(message);
  }
}

const transport = { listen: (): void => undefined, close: (): void => undefined };

@Module({})
class NoConsumerModule {}

@Module({ providers: [{ provide: EVENT_TRANSPORT, useValue: transport }] })
class TransportModule {}

@Module({ imports: [TransportModule] })
class ConsumerModule {}

describe(eventTransport.name, () => {
  // An HTTP application, as `createHttpApplication` builds: unlike a bare application context, Nest wraps its
  // methods so that whatever they throw is logged as an error first.
  const appOf = (module: Type, logs: KeptLogs) =>
    NestFactory.create(module, { logger: logs, abortOnError: false });

  it('answers none for an app that consumes no events, without Nest logging an error', async () => {
    const logs = new KeptLogs();
    const app = await appOf(NoConsumerModule, logs);

    expect(eventTransport(app)).toBeUndefined();
    expect(logs.errors).toEqual([]);
    await app.close();
  });

  it("finds the transport a module of the app provides (the messaging module's, in a service)", async () => {
    const logs = new KeptLogs();
    const app = await appOf(ConsumerModule, logs);

    expect(eventTransport(app)).toBe(transport);
    await app.close();
  });
});

/** What happened, in order: the slow request's answer and the modules' shutdown (the database's, in a service). */
const happened: string[] = [];
let release: () => void = () => undefined;
let entered: () => void = () => undefined;

@Controller()
class SlowController {
  @Get('slow')
  async slow(): Promise<{ done: true }> {
    entered();
    await new Promise<void>((resolve) => (release = resolve));
    happened.push('answered');
    return { done: true };
  }
}

@Injectable()
class DatabaseStandIn implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    happened.push('modules closed');
  }
}

@Module({ controllers: [SlowController], providers: [ReadinessRegistry, DatabaseStandIn] })
class SlowModule {}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// runService's SIGTERM handler (stopGracefully) marks the service not ready, then relies on Nest's close() order:
// the HTTP server stops taking connections and answers the requests in flight before the modules' connections
// (database, Kafka, Redis: onApplicationShutdown) close. A Nest upgrade that changed that order, or an option
// that destroys open sockets at close (`forceCloseConnections`, once set here), would cut requests mid-flight.
describe('a graceful stop', () => {
  it('answers the request in flight before any module closes, and takes no new connection meanwhile', async () => {
    // Created as every service's application is.
    const app = await NestFactory.create(SlowModule, {
      ...HTTP_APPLICATION_OPTIONS,
      bufferLogs: false,
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const slow = get(port, '/slow');
    await inFlight;

    const stopped = stopGracefully(app);
    expect(app.get(ReadinessRegistry).isShuttingDown).toBe(true);
    await expect(get(port, '/slow')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(happened).toEqual([]);
    release();

    await expect(slow).resolves.toEqual({ status: 200, body: '{"done":true}' });
    await stopped;
    expect(happened).toEqual(['answered', 'modules closed']);
  });
});
