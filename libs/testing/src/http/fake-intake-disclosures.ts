import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

/** What the stand-in answers next: allow (the body echoes the resources, tagged), a refusal, or a failure. */
export type FakeDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string }
  | { readonly status: number };

/** A disclosure decision as the serving service asked it. */
export interface AskedDisclosure {
  readonly authorization: string | undefined;
  readonly body: {
    readonly recipient: { kind: string; id: string; purposes: string[] };
    readonly clientId: string;
    readonly resourceType: string;
    readonly resources: Record<string, unknown>[];
    readonly search?: { base: string; self: string };
  };
}

/** The tag the stand-in puts on what it allows, so a test can tell its body from anything else. */
export const FAKE_INTAKE_TAG = { system: 'urn:test:fake-intake', code: 'decided' };

/**
 * A stand-in for intake's disclosure decision (`POST /v1/internal/fhir-disclosures`) on a loopback port, for
 * the specs of the services that serve FHIR resources (scheduling, sessions): it records what they ask and
 * answers what the test sets. Intake's own spec proves the real decision, audit and accounting.
 */
export class FakeIntakeDisclosures {
  readonly asked: AskedDisclosure[] = [];
  next: FakeDecision = { allowed: true };
  private server: Server | undefined;
  url = '';

  async listen(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== '/v1/internal/fhir-disclosures') {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AskedDisclosure['body'];
    this.asked.push({ authorization: request.headers.authorization, body });
    const next = this.next;
    if ('status' in next) {
      response.writeHead(next.status, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const tagged = body.resources.map((r) => ({ ...r, meta: { tag: [FAKE_INTAKE_TAG] } }));
    const answer = next.allowed
      ? {
          allowed: true,
          consentId: '00000000-0000-4000-8000-000000000001',
          categories: ['schedule', 'attendance'],
          body: JSON.stringify(
            body.search === undefined
              ? tagged[0]
              : {
                  resourceType: 'Bundle',
                  type: 'searchset',
                  total: tagged.length,
                  entry: tagged.map((resource) => ({ resource })),
                },
          ),
        }
      : next;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }
}
