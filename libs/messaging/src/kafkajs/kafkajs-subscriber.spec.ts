import { type Consumer, Kafka } from 'kafkajs';
import { KafkajsSubscriber } from './kafkajs-subscriber';

/**
 * A consumer double with kafkajs' event names: the test plays kafkajs' CRASH event, as emitted after kafkajs
 * has already disconnected, and watches what the subscriber asks of the consumer next.
 */
function fakeConsumer() {
  const listeners = new Map<string, ((event: { payload: { restart: boolean } }) => void)[]>();
  const consumer = {
    events: { GROUP_JOIN: 'join', CRASH: 'crash', STOP: 'stop', DISCONNECT: 'disconnect' },
    on: (name: string, listener: (event: { payload: { restart: boolean } }) => void) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return () => undefined;
    },
    connect: jest.fn(() => Promise.resolve()),
    subscribe: jest.fn(() => Promise.resolve()),
    run: jest.fn((_config: unknown) => Promise.resolve()),
    stop: jest.fn(() => Promise.resolve()),
    disconnect: jest.fn(() => Promise.resolve()),
    pause: jest.fn(),
  };
  const crash = (restart: boolean): void => {
    for (const listener of listeners.get('crash') ?? []) listener({ payload: { restart } });
  };
  return { consumer, crash };
}

describe(KafkajsSubscriber.name, () => {
  let fake: ReturnType<typeof fakeConsumer>;

  beforeEach(() => {
    jest.useFakeTimers();
    fake = fakeConsumer();
    jest.spyOn(Kafka.prototype, 'consumer').mockReturnValue(fake.consumer as unknown as Consumer);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const subscriber = (): KafkajsSubscriber =>
    new KafkajsSubscriber({
      clientId: 'test',
      brokers: ['127.0.0.1:1'],
      groupId: 'g',
      topics: ['t'],
      concurrency: 1,
    });

  it('starts the consumer again, with the same handler, after a crash kafkajs does not restart itself', async () => {
    const s = subscriber();
    await s.run(() => Promise.resolve());
    const config = fake.consumer.run.mock.calls[0]?.[0];
    fake.crash(false);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(fake.consumer.connect).toHaveBeenCalledTimes(2);
    expect(fake.consumer.run).toHaveBeenCalledTimes(2);
    expect(fake.consumer.run.mock.calls[1]?.[0]).toBe(config);
  });

  it('keeps trying while the broker is away', async () => {
    const s = subscriber();
    await s.run(() => Promise.resolve());
    fake.consumer.connect.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    fake.crash(false);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(fake.consumer.run).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(fake.consumer.run).toHaveBeenCalledTimes(2);
  });

  it('leaves a crash kafkajs restarts itself, and a stopped subscriber, alone', async () => {
    const s = subscriber();
    await s.run(() => Promise.resolve());
    fake.crash(true);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(fake.consumer.run).toHaveBeenCalledTimes(1);
    await s.stop();
    fake.crash(false);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(fake.consumer.run).toHaveBeenCalledTimes(1);
  });
});
