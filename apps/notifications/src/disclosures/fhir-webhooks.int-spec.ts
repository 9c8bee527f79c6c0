import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
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
import { FakePeers } from '../testing/fake-servers';
import { startWebhookService, webhookContractValidator } from '../testing/webhook-service';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed bodies

/**
 * Two integrators' endpoints on one loopback server, told apart by path: each verifies every delivery with a
 * Standard Webhooks library and the secret its subscription was given, and keeps what verified, parsed.
 */
class Receivers {
  readonly secrets = new Map<string, string>();
  readonly received = new Map<string, Json[]>();
  readonly refused: string[] = [];
  private server: Server | undefined;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        const secret = this.secrets.get(path);
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          if (secret === undefined) throw new Error('no secret yet');
          const event = new Webhook(secret).verify(body, request.headers as Record<string, string>) as Json;
          this.received.set(path, [...(this.received.get(path) ?? []), event]);
          response.writeHead(204).end();
        } catch (error) {
          this.refused.push(`${path}: ${String(error)}`);
          response.writeHead(401).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  of(path: string): Json[] {
    return this.received.get(path) ?? [];
  }

  stop(): Promise<void> {
    return new Promise((resolve) =>
      this.server === undefined ? resolve() : this.server.close(() => resolve()),
    );
  }
}

const SITE = randomUUID();
const NETWORK = randomUUID();
const peers = new FakePeers();
const receivers = new Receivers();
let svc: ServiceApp;
let admin: string;

beforeAll(async () => {
  const peersUrl = await peers.start();
  await receivers.start();
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
  await Promise.all([peers.stop(), receivers.stop()]);
});

const subscriptions = (json?: unknown) =>
  http<Record<string, unknown>>(`${svc.url}/v1/webhook-subscriptions`, {
    method: json === undefined ? 'GET' : 'POST',
    token: admin,
    ...(json === undefined ? {} : { json }),
  });

const registration = (organisationId: string, path: string, extra: Record<string, unknown>) => ({
  organisationId,
  recipientKind: 'provider-organization',
  purposes: ['care-coordination'],
  eventTypes: ['SessionAttended', 'ClientDischarged'],
  url: `${receivers.base}${path}`,
  ...extra,
});

const LONG = 90_000;

describe('FHIR R4 webhook payloads (service running: real Postgres, Kafka, Redis timers)', () => {
  it('registers a fhir-r4 subscription, lists its format, refuses event types that change no resource', async () => {
    const organisationId = randomUUID();
    const refused = await subscriptions(
      registration(organisationId, '/x', {
        payloadFormat: 'fhir-r4',
        eventTypes: ['SessionAttended', 'DrugScreenResulted', 'NoteSigned'],
      }),
    );
    expect(refused).toMatchObject({ status: 422, body: { code: 'unprocessable' } });
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(String(refused.body['detail'])).toContain('DrugScreenResulted, NoteSigned');
    expect(String(refused.body['detail'])).not.toContain('SessionAttended,');
    const badFormat = await subscriptions(registration(organisationId, '/x', { payloadFormat: 'hl7v2' }));
    expect(badFormat).toMatchObject({ status: 400, body: { code: 'validation-failed' } });
    expect(JSON.stringify(badFormat.body)).toContain(
      'payloadFormat must be one of: cloudevents-json, fhir-r4',
    );

    const fhir = await subscriptions(registration(organisationId, '/listed', { payloadFormat: 'fhir-r4' }));
    expect(fhir).toMatchObject({ status: 201, body: { payloadFormat: 'fhir-r4' } });
    const json = await subscriptions(registration(organisationId, '/listed-json', {}));
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
      for (const [path, payloadFormat] of [
        ['/fhir', 'fhir-r4'],
        ['/json', 'cloudevents-json'],
      ] as const) {
        const created = await subscriptions(registration(organisationId, path, { payloadFormat }));
        expect(created.status).toBe(201);
        receivers.secrets.set(path, created.body['secret'] as string);
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
          json: receivers.of('/json').length,
          fhir: await svc.dataSource.query<{ status: string; reason: string | null; event: string }[]>(
            `SELECT n.status, n.reason, n.params->>'eventType' AS event FROM notifications.notifications n
               JOIN notifications.webhook_subscriptions s ON s.id = n.subscription_id
              WHERE s.url = $1 AND n.client_id = $2 ORDER BY n.queue_seq`,
            [`${receivers.base}/fhir`, clientId],
          ),
        }),
        ({ json, fhir }) => json === 2 && fhir.length === 2 && fhir.every((d) => d.status !== 'queued'),
        LONG,
      );
      expect(receivers.refused).toEqual([]);
      const fhirEvents = receivers.of('/fhir');
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
        [`${receivers.base}/fhir`, clientId],
      );
      expect(withheld).toEqual([{ status: 'suppressed', reason: 'no-consent' }]);
      // The same consent lets the JSON body of the discharge go: it is the resource that tells more.
      expect(receivers.of('/json').map((event) => event['type'])).toEqual(
        expect.arrayContaining(['care.intake.ClientDischarged.v1', 'care.sessions.SessionAttended.v1']),
      );
      // Nothing of the client beyond ids leaves in either format.
      expect(JSON.stringify(fhirEvents)).not.toMatch(/"(name|birthDate|telecom|address)"/);
    },
    LONG * 2,
  );
});
