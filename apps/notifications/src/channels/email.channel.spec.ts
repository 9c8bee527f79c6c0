import { MailCatcher } from '../testing/fake-servers';
import { EmailChannel, NOTIFICATION_ID_HEADER } from './email.channel';

/** The value of one header of a raw message (unfolded), or undefined. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

describe('EmailChannel (nodemailer to a real SMTP server on loopback)', () => {
  const catcher = new MailCatcher();
  let channel: EmailChannel;

  beforeAll(async () => {
    channel = new EmailChannel(await catcher.start(), 'no-reply@program.example.test');
  });
  afterAll(async () => {
    channel.close();
    await catcher.stop();
  });

  const message = (notificationId: string) => ({
    notificationId,
    to: 'someone@example.test',
    subject: 'Reminder',
    text: 'You have an appointment tomorrow at 6 pm.',
  });

  it("gives every attempt at a notification the same Message-ID, from its id and the sender's domain", async () => {
    const first = '5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f';
    const other = '6a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
    catcher.mails.length = 0;

    // A resend after a crash between the SMTP send and recording it sent is a second send of the same row.
    await channel.send(message(first));
    await channel.send(message(first));
    await channel.send(message(other));

    const ids = catcher.mails.map((m) => header(m.raw, 'Message-ID'));
    expect(ids).toEqual([
      `<${first}@stepwise.program.example.test>`,
      `<${first}@stepwise.program.example.test>`,
      `<${other}@stepwise.program.example.test>`,
    ]);
    expect(catcher.mails.map((m) => header(m.raw, NOTIFICATION_ID_HEADER))).toEqual([first, first, other]);
    // Ids only: neither the recipient's address nor the text is in the identifying headers.
    for (const mail of catcher.mails) {
      expect(header(mail.raw, 'Message-ID')).not.toContain('someone');
    }
  });
});
