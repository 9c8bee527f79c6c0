import { TEMPLATES, TemplateError, localTime, renderTemplate } from './templates';

/** Words that would reveal treatment, a diagnosis or a substance to whoever reads a phone's lock screen. */
const REVEALING =
  /stepwise program|\bprogram\b|\biop\b|treatment|addiction|substance|alcohol|opioid|drug|cocaine|cannabis|methamphetamine|depress|anxiety|phq|gad|suicid|self-harm|withdrawal|rehab|recovery|sobriety|relapse|clinic|counsel|therap|diagnos|programa|tratamiento|adicci|droga/i;

describe('templates', () => {
  it('never name the program, a diagnosis or a substance in a subject or an SMS', () => {
    for (const template of TEMPLATES)
      for (const [locale, byChannel] of Object.entries(template.texts)) {
        const visible = [byChannel.email.subject ?? '', byChannel.sms.body];
        for (const text of visible)
          expect({ code: template.code, locale, text, ok: !REVEALING.test(text) }).toMatchObject({
            ok: true,
          });
      }
  });

  it('gives every disclosure template, in every channel, the notice and the consent scope to carry', () => {
    for (const template of TEMPLATES.filter((t) => t.code === 'family-update'))
      for (const byChannel of Object.values(template.texts)) {
        for (const text of [byChannel.email.body, byChannel.sms.body]) {
          expect(text).toContain('{{notice}}');
          expect(text).toContain('{{scope}}');
          // Only one channel carries a delivery: no text may claim another one was used.
          expect(text).not.toMatch(/e-?mail|text message|sms/i);
        }
        expect(byChannel.email.body).toContain('{{redisclosure}}');
      }
  });

  it('the check would catch a revealing text', () => {
    expect(REVEALING.test('Your IOP group session is tomorrow')).toBe(true);
    expect(REVEALING.test('Positive drug screen')).toBe(true);
  });

  it('renders a reminder in the client language and time zone, with its versioned id', () => {
    const time = localTime(new Date('2025-06-10T23:00:00Z'), 'America/Chicago', 'en-US');
    expect(time).toBe('6:00 PM');
    expect(renderTemplate('appointment-reminder-24h', 'sms', 'en-US', { time })).toEqual({
      templateId: 'appointment-reminder-24h@1',
      subject: undefined,
      text: 'Reminder: you have an appointment tomorrow at 6:00 PM.',
    });
    const es = renderTemplate('appointment-reminder-2h', 'email', 'es-MX', {
      time: localTime(new Date('2025-06-10T23:00:00Z'), 'America/Chicago', 'es-MX'),
    });
    expect(es.subject).toBe('Recordatorio de cita');
    expect(es.text).toMatch(/^Tiene una cita hoy a las 6:00/);
  });

  it('falls back to English and refuses a missing parameter or template', () => {
    expect(renderTemplate('clinical-alert', 'email', 'fr', { reference: 'r1' }).subject).toBe(
      'A client needs your attention',
    );
    expect(() => renderTemplate('appointment-reminder-2h', 'sms', 'en', {})).toThrow(TemplateError);
    expect(() => renderTemplate('no-such-template', 'sms', 'en', {})).toThrow(TemplateError);
  });
});
