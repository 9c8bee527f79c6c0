import { DateTime } from 'luxon';

export type TemplateChannel = 'email' | 'sms';

/** One localized wording of a template for one channel. `{{name}}` placeholders are filled at send time. */
export interface TemplateText {
  readonly subject?: string;
  readonly body: string;
}

export interface TemplateDefinition {
  readonly code: string;
  readonly version: number;
  /** locale → channel → text; `en` must exist (the fallback). */
  readonly texts: Readonly<Record<string, Readonly<Record<TemplateChannel, TemplateText>>>>;
}

/**
 * The wording of every message, as versioned data. Anything that leaves the building by e-mail or SMS may be
 * read by someone else, so no subject or text names the program, a diagnosis or a substance: a reminder says
 * only that there is an appointment, an alert only that something needs attention in Stepwise.
 */
export const TEMPLATES: readonly TemplateDefinition[] = [
  {
    code: 'appointment-reminder-24h',
    version: 1,
    texts: {
      en: {
        email: { subject: 'Appointment reminder', body: 'You have an appointment tomorrow at {{time}}.' },
        sms: { body: 'Reminder: you have an appointment tomorrow at {{time}}.' },
      },
      es: {
        email: { subject: 'Recordatorio de cita', body: 'Tiene una cita mañana a las {{time}}.' },
        sms: { body: 'Recordatorio: tiene una cita mañana a las {{time}}.' },
      },
    },
  },
  {
    code: 'appointment-reminder-2h',
    version: 1,
    texts: {
      en: {
        email: { subject: 'Appointment reminder', body: 'You have an appointment today at {{time}}.' },
        sms: { body: 'Reminder: you have an appointment today at {{time}}.' },
      },
      es: {
        email: { subject: 'Recordatorio de cita', body: 'Tiene una cita hoy a las {{time}}.' },
        sms: { body: 'Recordatorio: tiene una cita hoy a las {{time}}.' },
      },
    },
  },
  {
    code: 'clinical-alert',
    version: 1,
    texts: {
      en: {
        email: {
          subject: 'A client needs your attention',
          body: 'A client of yours needs your attention. Open Stepwise for details (reference {{reference}}).',
        },
        sms: { body: 'A client needs your attention. Open Stepwise (ref {{reference}}).' },
      },
    },
  },
  {
    code: 'clinical-alert-urgent',
    version: 1,
    texts: {
      en: {
        email: {
          subject: 'Urgent: a client needs your attention now',
          body: 'A client needs your attention now. Open Stepwise and acknowledge (reference {{reference}}).',
        },
        sms: {
          body: 'URGENT: a client needs your attention now. Open Stepwise and acknowledge (ref {{reference}}).',
        },
      },
    },
  },
  {
    code: 'clinical-alert-escalation',
    version: 1,
    texts: {
      en: {
        email: {
          subject: 'Urgent alert not acknowledged',
          body: 'An urgent alert has not been acknowledged. Open Stepwise now (reference {{reference}}).',
        },
        sms: { body: 'URGENT: an alert was not acknowledged. Open Stepwise now (ref {{reference}}).' },
      },
    },
  },
  {
    code: 'emergency-access-alert',
    version: 1,
    texts: {
      en: {
        email: {
          subject: 'Emergency access was used',
          body: "Emergency access to a client's record was granted at your site. Review it in Stepwise (reference {{reference}}).",
        },
        sms: {
          body: 'Emergency access to a client record was granted at your site. Review it in Stepwise (ref {{reference}}).',
        },
      },
    },
  },
  {
    // Billing staff: an authorization's units or dates are running out (which client is in Stepwise only).
    code: 'authorization-alert',
    version: 1,
    texts: {
      en: {
        email: {
          subject: 'A payer authorization needs attention',
          body: 'A payer authorization at your site is running out. Open Stepwise for details (reference {{reference}}).',
        },
        sms: { body: 'A payer authorization is running out. Open Stepwise (ref {{reference}}).' },
      },
    },
  },
  {
    // Version 2: the §2.32 notice and the consent's scope in each channel's form (the SMS no longer claims an
    // e-mail was sent: only one channel is used for a delivery).
    code: 'family-update',
    version: 2,
    texts: {
      en: {
        email: {
          subject: 'An update you asked to receive',
          body:
            'There is an update about {{topic}} that you were given permission to receive.\n\n{{scope}}\n\n' +
            '{{redisclosure}}\n\n{{notice}}',
        },
        sms: {
          body: 'There is an update about {{topic}} you were given permission to receive. {{scope}} {{notice}}',
        },
      },
    },
  },
];

export interface RenderedMessage {
  /** `code@version`, as NotificationSent.templateId carries it. */
  readonly templateId: string;
  readonly subject: string | undefined;
  readonly text: string;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

function latest(code: string): TemplateDefinition {
  const versions = TEMPLATES.filter((t) => t.code === code).sort((a, b) => b.version - a.version);
  const template = versions[0];
  if (template === undefined) throw new TemplateError(`no template ${code}`);
  return template;
}

/** The language part of a BCP 47 tag (`es-MX` → `es`). */
const language = (locale: string | undefined): string =>
  (locale ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';

export function renderTemplate(
  code: string,
  channel: TemplateChannel,
  locale: string | undefined,
  params: Readonly<Record<string, string>>,
): RenderedMessage {
  const template = latest(code);
  const texts = template.texts[language(locale)] ?? template.texts['en'];
  const text = texts?.[channel];
  if (text === undefined) throw new TemplateError(`template ${code} has no ${channel} text`);
  const fill = (value: string): string =>
    value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const param = params[name];
      if (param === undefined) throw new TemplateError(`template ${code} needs ${name}`);
      return param;
    });
  return {
    templateId: `${template.code}@${template.version}`,
    subject: text.subject === undefined ? undefined : fill(text.subject),
    text: fill(text.body),
  };
}

/** An appointment time as the recipient reads it: local time of day in their zone and language ("6:00 PM"). */
export function localTime(instant: Date, timeZone: string, locale: string | undefined): string {
  return DateTime.fromJSDate(instant, { zone: timeZone })
    .setLocale(locale ?? 'en')
    .toLocaleString(DateTime.TIME_SIMPLE);
}
