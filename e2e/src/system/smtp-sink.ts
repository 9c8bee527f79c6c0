import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server standing in for the mail relay: it accepts every message and keeps only who it was for
 * and its subject, so the demo and the tests can count deliveries without printing anyone's details.
 */
export class SmtpSink {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    readonly received: readonly { to: string[]; subject: string }[],
  ) {}

  static async start(port = 0): Promise<SmtpSink> {
    const received: { to: string[]; subject: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const subject = /^Subject: (.*)$/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '';
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: subject.trim() });
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
