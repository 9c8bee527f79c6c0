import { type Evidence, type NotificationRow, type TopicRecord, check } from './checker';
import { type LedgerEntry, type Step } from './load';
import { sustainedGrowth } from './soak';

/*
 * The checker's own negative controls: evidence with one fault planted at a time must fail exactly that check.
 * (The fault run adds a live one: a duplicate planted on the real topic.)
 */

const SUB = '00000000-0000-4000-8000-000000000001';
const ids = {
  referral: '10000000-0000-4000-8000-000000000001',
  screening: '20000000-0000-4000-8000-000000000001',
  episode: '30000000-0000-4000-8000-000000000001',
  client: '40000000-0000-4000-8000-000000000001',
};

/** A message as the SMTP sink keeps it, named for its notification; its Message-ID as the service makes it. */
const mail = (notificationId: string, messageId = `<${notificationId}@stepwise.stepwise.test>`) => ({
  notificationId,
  messageId,
});

const entry = (step: Step, id: string, outcome: LedgerEntry['outcome'] = 'accepted'): LedgerEntry => ({
  journey: 'j',
  step,
  sub: SUB,
  method: 'POST',
  path: `/${step}`,
  idempotencyKey: `${step}-key`,
  startedAt: 0,
  endedAt: 1,
  outcome,
  status: outcome === 'accepted' ? 201 : 422,
  id: outcome === 'accepted' ? id : undefined,
  attempts: [],
});

let offset = 0;
const record = (
  type: string,
  eventId: string,
  data: Record<string, unknown>,
  topic = 'intake.events.v1',
): TopicRecord => ({
  topic,
  partition: 0,
  offset: offset++,
  key: ids.client,
  headers: { ce_id: eventId, ce_type: `care.x.${type}.v1` },
  data,
});

function healthy(): Evidence {
  offset = 0;
  const records = [
    record('ReferralReceived', 'e1', { referralId: ids.referral }),
    record('ScreeningCompleted', 'e2', { screeningId: ids.screening, urgentFlags: ['self-harm-risk'] }),
    record('ClientAdmitted', 'e3', { episodeId: ids.episode }),
    record('ClientEnrolled', 'e4', { episodeId: ids.episode }, 'scheduling.events.v1'),
    record('nothing', 'p1', {}),
  ];
  // The poison record (offset 4) and its dead letters from the three consumers of intake.events.v1.
  const poisonAt = records[4] as TopicRecord;
  const deadLetter = (consumer: string): TopicRecord => ({
    topic: `${consumer}.dlq.v1`,
    partition: 0,
    offset: offset++,
    key: '',
    headers: {
      dlq_consumer: consumer,
      dlq_original_topic: poisonAt.topic,
      dlq_original_partition: '0',
      dlq_original_offset: String(poisonAt.offset),
      dlq_reason: 'contract-violation',
      dlq_error_code: 'payload-invalid',
    },
    data: undefined,
  });
  return {
    ledger: [
      entry('referral', ids.referral),
      entry('client', ids.client),
      entry('screening', ids.screening),
      entry('assessment', '', 'rejected'),
    ],
    poison: [{ topic: 'intake.events.v1', partition: 0, offset: 4 }],
    rows: {
      referral: [{ id: ids.referral, sub: SUB }],
      client: [{ id: ids.client, sub: SUB }],
      screening: [{ id: ids.screening, sub: SUB }],
      assessment: [],
      admission: [{ id: ids.episode, sub: SUB }],
    },
    outbox: new Map([
      ['e1', 1],
      ['e2', 2],
      ['e3', 3],
    ]),
    inbox: { intake: [], scheduling: ['e3'], sessions: ['e3', 'e4'], notifications: ['e2', 'e3'] },
    records: [...records, deadLetter('scheduling'), deadLetter('sessions'), deadLetter('notifications')],
    notifications: [
      {
        id: 'n1',
        dedupeKey: 'alert:e2:s1',
        kind: 'alert',
        triggerEventId: 'e2',
        status: 'sent',
        channel: 'email',
      },
    ],
    mails: [mail('n1')],
  };
}

describe('the fault run checker', () => {
  it('passes evidence in which every guarantee holds', () => {
    expect(check(healthy()).violations).toEqual([]);
  });

  it('reports an accepted write whose record is missing', () => {
    const evidence = { ...healthy(), rows: { ...healthy().rows, screening: [] } };
    const { figures } = check(evidence);
    expect(figures.acceptedMissing).toBe(1);
  });

  it('reports a rejected write that left state', () => {
    const evidence = { ...healthy(), rows: { ...healthy().rows, assessment: [{ id: 'a', sub: SUB }] } };
    expect(check(evidence).figures.rejectedThatLeftState).toBe(1);
  });

  it('reports an accepted write applied twice (a retry executed again)', () => {
    const evidence = {
      ...healthy(),
      rows: {
        ...healthy().rows,
        referral: [
          { id: ids.referral, sub: SUB },
          { id: 'other', sub: SUB },
        ],
      },
    };
    expect(check(evidence).figures.acceptedDuplicated).toBe(1);
  });

  it('reports an implied event missing, and a fact published twice under two ids', () => {
    const base = healthy();
    const missing = check({ ...base, records: base.records.filter((r) => r.headers['ce_id'] !== 'e1') });
    expect(missing.figures.impliedEventsMissing).toBe(1);
    const twice = check({
      ...base,
      records: [...base.records, record('ReferralReceived', 'e9', { referralId: ids.referral })],
    });
    expect(twice.figures.factsPublishedTwice).toBe(1);
    // A redelivery (same id) is at-least-once delivery, not a second fact.
    const redelivered = check({
      ...base,
      records: [...base.records, { ...(base.records[0] as TopicRecord), offset: 99 }],
    });
    expect(redelivered.violations).toEqual([]);
    expect(redelivered.figures.redeliveredRecords).toBe(1);
  });

  it('reports records of one key out of outbox order', () => {
    const evidence = {
      ...healthy(),
      outbox: new Map([
        ['e1', 1],
        ['e2', 5],
        ['e3', 3],
      ]),
    };
    expect(check(evidence).figures.orderViolations).toBe(1);
  });

  it('reports an event a consumer did not apply, and an inbox row for an event no topic holds', () => {
    const base = healthy();
    const { figures } = check({ ...base, inbox: { ...base.inbox, sessions: ['e3', 'ghost'] } });
    expect(figures.inboxMissing['sessions']).toBe(1);
    expect(figures.inboxPhantom['sessions']).toBe(1);
  });

  it('reports poison not dead-lettered by a consumer, and a dead letter that was not poison', () => {
    const base = healthy();
    const withoutOne = check({ ...base, records: base.records.filter((r) => r.topic !== 'sessions.dlq.v1') });
    expect(withoutOne.violations.some((v) => v.startsWith('poison records not dead-lettered: 1'))).toBe(true);
    const stray = {
      ...(base.records.at(-1) as TopicRecord),
      headers: { ...(base.records.at(-1) as TopicRecord).headers, dlq_original_offset: '0' },
    };
    expect(check({ ...base, records: [...base.records, stray] }).figures.otherDeadLetters).toBe(1);
  });
});

describe('the notifications checks', () => {
  it('reports an urgent screening that alerted no one, and an alert never settled', () => {
    const base = healthy();
    expect(check({ ...base, notifications: [] }).figures.alertsMissing).toBe(1);
    const stuck = check({
      ...base,
      notifications: [{ ...(base.notifications[0] as NotificationRow), status: 'queued' }],
    });
    expect(stuck.figures.notificationsNotSettled).toBe(1);
  });

  it('counts a resend under the same Message-ID (a kill between send and record) as informational only', () => {
    const resent = check({ ...healthy(), mails: [mail('n1'), mail('n1')] });
    expect(resent.violations).toEqual([]);
    expect(resent.figures).toMatchObject({
      mailsReceived: 2,
      mailsResent: 1,
      mailsDuplicated: 0,
      mailsLost: 0,
    });
  });

  it('fails one notification delivered under two Message-IDs: the mailbox would show it twice', () => {
    const twice = check({ ...healthy(), mails: [mail('n1'), mail('n1', '<random-1@elsewhere.test>')] });
    expect(twice.figures.mailsDuplicated).toBe(1);
    expect(twice.violations).toEqual([
      expect.stringMatching(/^e-mails delivered to the mailbox more than once after dedupe by Message-ID: 1/),
    ]);
    // Mails without a Message-ID cannot be collapsed: two of one notification are a duplicate too.
    const bare = { notificationId: 'n1', messageId: undefined };
    expect(check({ ...healthy(), mails: [bare, bare] }).figures.mailsDuplicated).toBe(1);
  });

  it('reports an e-mail marked sent that never arrived, even when other mail did', () => {
    expect(check({ ...healthy(), mails: [] }).figures.mailsLost).toBe(1);
    const elsewhere = check({ ...healthy(), mails: [mail('n2')] });
    expect(elsewhere.figures.mailsLost).toBe(1);
    expect(
      elsewhere.violations.some((v) => v.startsWith('e-mails marked sent that the relay never received')),
    ).toBe(true);
  });
});

describe('the soak judge', () => {
  const series = (replica: string, values: number[]) =>
    values.map((v, minute) => ({ minute, replica, rssBytes: v, heapUsedBytes: 100, handles: 10 }));

  it('flags memory that keeps growing and ignores a single peak', () => {
    expect(sustainedGrowth(series('a', [100, 100, 100, 100, 110, 120, 130, 140, 150]))).toHaveLength(1);
    expect(sustainedGrowth(series('b', [100, 100, 100, 100, 180, 100, 100, 101, 99]))).toEqual([]);
  });
});
