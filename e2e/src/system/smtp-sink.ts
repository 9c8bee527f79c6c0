import { SMTPServer } from 'smtp-server';

/** What the sink keeps of one message: its envelope recipients, subject and identifying headers (ids only). */
export interface SunkMail {
  readonly to: string[];
  readonly subject: string;
  /** The Message-ID header, with its angle brackets; undefined when the message had none. */
  readonly messageId: string | undefined;
  /** The notification it names (X-Stepwise-Notification-Id); undefined when it names none. */
  readonly notificationId: string | undefined;
}

/** One header of a raw message, unfolded and trimmed; undefined when absent. */
function header(head: string, name: string): string | undefined {
  const line = head
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  const value = line?.slice(name.length + 1).trim();
  return value === '' ? undefined : value;
}

/**
 * A local SMTP server standing in for the mail relay: it accepts every message and keeps only who it was for,
 * its subject and its ids, so the demo and the tests can count deliveries (and resends of one Message-ID)
 * without printing anyone's details.
 */
export class SmtpSink {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    readonly received: readonly SunkMail[],
  ) {}

  static async start(port = 0): Promise<SmtpSink> {
    const received: SunkMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const head =
            Buffer.concat(chunks)
              .toString('utf8')
              .split(/\r?\n\r?\n/)[0] ?? '';
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: header(head, 'Subject') ?? '',
            messageId: header(head, 'Message-ID'),
            notificationId: header(head, 'X-Stepwise-Notification-Id'),
          });
          callback();
        });
      },
    });
    const bound = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
    return new SmtpSink(server, bound, received);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
