import { type LoggerService, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EVENT_TRANSPORT, eventTransport } from './run-service';

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
