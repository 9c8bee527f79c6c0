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

/** The header naming the notification an e-mail was sent for (an id only), besides its Message-ID. */
export const NOTIFICATION_ID_HEADER = 'X-Stepwise-Notification-Id';

/**
 * E-mail over SMTP (nodemailer). One pooled transport per process.
 *
 * Delivery to the relay is at-least-once: a replica killed between the SMTP send and recording the
 * notification sent sends it again on retry. Each e-mail therefore carries a Message-ID derived from the
 * notification's id alone (never a random one), identical on every attempt, so mail systems that collapse
 * messages by Message-ID deliver a resend once, and the resend is recognisable as one.
 */
export class EmailChannel implements MessageChannel {
  private readonly transport: Transporter;
  private readonly messageIdDomain: string;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // SMTP_FROM is validated as a plain address at start-up: its domain is ours to mint Message-IDs under.
    this.messageIdDomain = `stepwise.${from.slice(from.lastIndexOf('@') + 1)}`;
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
        messageId: this.messageId(message.notificationId),
        headers: { [NOTIFICATION_ID_HEADER]: message.notificationId },
        from: this.from,
        to: message.to,
        subject: message.subject ?? '',
        text: message.text,
      });
    } catch (error) {
      throw EmailChannel.failure(error as SmtpError);
    }
  }

  /** `<notification-id@stepwise.<domain of SMTP_FROM>>`: ids only, stable across attempts. */
  messageId(notificationId: string): string {
    return `<${notificationId}@${this.messageIdDomain}>`;
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
