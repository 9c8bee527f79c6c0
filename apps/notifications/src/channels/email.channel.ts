import { NotificationErrorCode } from '@stepwise/contracts';
import { type Transporter, createTransport } from 'nodemailer';
import { DeliveryError, type MessageChannel, type OutgoingMessage } from './channel';

interface SmtpError {
  readonly code?: string;
  readonly responseCode?: number;
}

const UNREACHABLE = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPROTOCOL',
  'ETLS',
]);

/** E-mail over SMTP (nodemailer). One pooled transport per process. */
export class EmailChannel implements MessageChannel {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    const url = new URL(smtpUrl);
    this.transport = createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      ...(url.username === ''
        ? {}
        : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 10_000,
      // No envelope or message content in nodemailer's own logs.
      logger: false,
      debug: false,
    });
  }

  async send(message: OutgoingMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject ?? '',
        text: message.text,
      });
    } catch (error) {
      throw EmailChannel.failure(error as SmtpError);
    }
  }

  close(): void {
    this.transport.close();
  }

  /** SMTP codes only: nodemailer's messages may quote the recipient address. */
  static failure(error: SmtpError): DeliveryError {
    const status = error.responseCode;
    if (status !== undefined && status >= 500)
      return new DeliveryError(
        error.code === 'EENVELOPE'
          ? NotificationErrorCode.InvalidDestination
          : NotificationErrorCode.ProviderRejected,
        false,
        `smtp-${status}`,
      );
    if (status !== undefined && status >= 400)
      return new DeliveryError(NotificationErrorCode.ProviderUnavailable, true, `smtp-${status}`);
    if (error.code !== undefined && UNREACHABLE.has(error.code))
      return new DeliveryError(
        NotificationErrorCode.ProviderUnavailable,
        true,
        `smtp-${error.code.toLowerCase()}`,
      );
    if (error.code === 'EENVELOPE')
      return new DeliveryError(NotificationErrorCode.InvalidDestination, false, 'smtp-envelope');
    return new DeliveryError(NotificationErrorCode.ProviderUnavailable, true, 'smtp-error');
  }
}
