import { randomUUID } from 'node:crypto';
import { type Resource } from '@medplum/fhirtypes';
import {
  ConsentPurpose,
  InformationCategory,
  RecipientKind,
  encodeEvent,
  examplePayload,
} from '@stepwise/contracts';
import { r4Issues } from '@stepwise/fhir/testing';
import { type ServiceApp, http, waitFor } from '@stepwise/testing';
import { Webhook } from 'standardwebhooks';
import { FakePeers, WebhookReceiver } from '../testing/fake-servers';
import { startWebhookService, webhookContractValidator } from '../testing/webhook-service';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed bodies

/** What an endpoint received that verifies with its subscription's secret (Standard Webhooks), parsed. */
function verified(receiver: WebhookReceiver, secret: string): Json[] {
  const webhook = new Webhook(secret);
  return receiver.received.map(
    ({ body, headers }) => webhook.verify(body, headers as Record<string, string>) as Json,
  );
}

const SITE = randomUUID();
const NETWORK = randomUUID();
const peers = new FakePeers();
/** Two integrators' endpoints: one asked for FHIR, the other for the event's JSON. */
const endpoints = { fhir: new WebhookReceiver(), json: new WebhookReceiver() };
const secrets = { fhir: '', json: '' };
let svc: ServiceApp;
let admin: string;

beforeAll(async () => {
  const peersUrl = await peers.start();
  await Promise.all([endpoints.fhir.start(), endpoints.json.start()]);
  ({ svc, admin } = await startWebhookService({
    label: 'notif_fhir_webhooks',
    peersUrl,
    site: SITE,
    network: NETWORK,
    env: { WEBHOOK_RETRY_BASE_MS: '100' },
  }));
  // Start-up on a loaded shared machine can take minutes.
}, 240_000);
afterAll(async () => {
  await svc?.close();
  await Promise.all([peers.stop(), endpoints.fhir.stop(), endpoints.json.stop()]);
});

const subscriptions = (json?: unknown) =>
  http<Record<string, unknown>>(`${svc.url}/v1/webhook-subscriptions`, {
    method: json === undefined ? 'GET' : 'POST',
    token: admin,
    ...(json === undefined ? {} : { json }),
  });

const registration = (organisationId: string, url: string, extra: Record<string, unknown>) => ({
  organisationId,
  recipientKind: 'provider-organization',
  purposes: ['care-coordination'],
  eventTypes: ['SessionAttended', 'ClientDischarged'],
  url,
  ...extra,
});

const LONG = 90_000;

describe('FHIR R4 webhook payloads (service running: real Postgres, Kafka, Redis timers)', () => {
  it('registers a fhir-r4 subscription, lists its format, refuses event types that change no resource', async () => {
    const organisationId = randomUUID();
    const refused = await subscriptions(
      registration(organisationId, endpoints.json.url, {
        payloadFormat: 'fhir-r4',
        eventTypes: ['SessionAttended', 'DrugScreenResulted', 'NoteSigned'],
      }),
    );
    expect(refused).toMatchObject({ status: 422, body: { code: 'unprocessable' } });
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(String(refused.body['detail'])).toContain('DrugScreenResulted, NoteSigned');
    expect(String(refused.body['detail'])).not.toContain('SessionAttended,');
    const badFormat = await subscriptions(
      registration(organisationId, endpoints.json.url, { payloadFormat: 'hl7v2' }),
    );
    expect(badFormat).toMatchObject({ status: 400, body: { code: 'validation-failed' } });
    expect(JSON.stringify(badFormat.body)).toContain(
      'payloadFormat must be one of: cloudevents-json, fhir-r4',
    );

    const fhir = await subscriptions(
      registration(organisationId, endpoints.json.url, { payloadFormat: 'fhir-r4' }),
    );
    expect(fhir).toMatchObject({ status: 201, body: { payloadFormat: 'fhir-r4' } });
    const json = await subscriptions(registration(organisationId, endpoints.json.url, {}));
    expect(json).toMatchObject({ status: 201, body: { payloadFormat: 'cloudevents-json' } });
    const listed = (await subscriptions()).body['items'] as Record<string, unknown>[];
    expect(listed.find((s) => s['id'] === fhir.body['id'])).toMatchObject({ payloadFormat: 'fhir-r4' });
    expect(listed.find((s) => s['id'] === json.body['id'])).toMatchObject({
      payloadFormat: 'cloudevents-json',
    });
  });

  it(
    'delivers the resource an event changed, signed, valid R4 and the contract; withholds one the consent does not cover',
    async () => {
      const organisationId = randomUUID();
      const clientId = randomUUID();
      for (const [endpoint, payloadFormat] of [
        ['fhir', 'fhir-r4'],
        ['json', 'cloudevents-json'],
      ] as const) {
        const created = await subscriptions(
          registration(organisationId, endpoints[endpoint].url, { payloadFormat }),
        );
        expect(created.status).toBe(201);
        secrets[endpoint] = created.body['secret'] as string;
      }
      // Attendance and the discharge summary, not the level of care: a discharge's EpisodeOfCare tells that.
      const consent = {
        ...examplePayload('ConsentGranted'),
        consentId: randomUUID(),
        clientId,
        recipient: { kind: RecipientKind.ProviderOrganization, id: organisationId },
        purposes: [ConsentPurpose.CareCoordination],
        informationCategories: [InformationCategory.Attendance, InformationCategory.DischargeSummary],
        grantedAt: '2025-01-01T00:00:00.000Z',
        expiresAt: '2099-01-01T00:00:00.000Z',
      };
      peers.grant(consent);
      await svc.publish(encodeEvent('ConsentGranted', consent));
      await svc.publish(
        encodeEvent('ClientAdmitted', { ...examplePayload('ClientAdmitted'), clientId, siteId: SITE }),
      );
      await waitFor(
        'the consent and the episode projected',
        () =>
          svc.dataSource.query(
            `SELECT 1 FROM notifications.consents WHERE consent_id = $1
              UNION ALL SELECT 1 FROM notifications.episodes WHERE client_id = $2`,
            [consent.consentId, clientId],
          ),
        (rows) => rows.length === 2,
      );
      const attendanceId = randomUUID();
      await svc.publish(
        encodeEvent('SessionAttended', {
          ...examplePayload('SessionAttended'),
          attendanceId,
          clientId,
          siteId: SITE,
        }),
      );
      const episodeId = randomUUID();
      await svc.publish(
        encodeEvent('ClientDischarged', {
          ...examplePayload('ClientDischarged'),
          episodeId,
          clientId,
          siteId: SITE,
        }),
      );

      // The JSON subscriber gets both; the FHIR one the Encounter, and no EpisodeOfCare (level-of-care withheld).
      await waitFor(
        'both events at the JSON endpoint and the FHIR deliveries settled',
        async () => ({
          json: endpoints.json.received.length,
          fhir: await svc.dataSource.query<{ status: string; reason: string | null; event: string }[]>(
            `SELECT n.status, n.reason, n.params->>'eventType' AS event FROM notifications.notifications n
               JOIN notifications.webhook_subscriptions s ON s.id = n.subscription_id
              WHERE s.url = $1 AND n.client_id = $2 ORDER BY n.queue_seq`,
            [endpoints.fhir.url, clientId],
          ),
        }),
        // Settled: neither queued nor being sent (a claimed delivery is 'sending' until it is sent or withheld).
        ({ json, fhir }) =>
          json === 2 && fhir.length === 2 && fhir.every((d) => !['queued', 'sending'].includes(d.status)),
        LONG,
      );
      // Every delivery verifies with its subscription's secret (verify throws otherwise).
      const fhirEvents = verified(endpoints.fhir, secrets.fhir);
      expect(fhirEvents).toHaveLength(1);
      const [encounterEvent] = fhirEvents as [Json];
      expect(webhookContractValidator('SessionAttendedV1')(encounterEvent)).toBe(true);
      expect(encounterEvent).toMatchObject({
        type: 'care.sessions.SessionAttended.v1',
        subject: clientId,
        datacontenttype: 'application/fhir+json',
        consentid: consent.consentId,
        part2notice: expect.stringContaining('42 CFR part 2'),
        data: {
          resourceType: 'Encounter',
          id: attendanceId,
          subject: { reference: `Patient/${clientId}` },
          meta: { security: expect.arrayContaining([expect.objectContaining({ code: 'NORDSCLCD' })]) },
        },
      });
      expect(r4Issues(encounterEvent['data'] as Resource)).toEqual([]);
      const withheld = await svc.dataSource.query<{ status: string; reason: string | null }[]>(
        `SELECT n.status, n.reason FROM notifications.notifications n
           JOIN notifications.webhook_subscriptions s ON s.id = n.subscription_id
          WHERE s.url = $1 AND n.params->>'eventType' = 'ClientDischarged' AND n.client_id = $2`,
        [endpoints.fhir.url, clientId],
      );
      expect(withheld).toEqual([{ status: 'suppressed', reason: 'no-consent' }]);
      // The same consent lets the JSON body of the discharge go: it is the resource that tells more.
      expect(verified(endpoints.json, secrets.json).map((event) => event['type'])).toEqual(
        expect.arrayContaining(['care.intake.ClientDischarged.v1', 'care.sessions.SessionAttended.v1']),
      );
      // Nothing of the client beyond ids leaves in either format.
      expect(JSON.stringify(fhirEvents)).not.toMatch(/"(name|birthDate|telecom|address)"/);
    },
    LONG * 2,
  );
});
