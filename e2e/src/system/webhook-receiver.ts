import { readFileSync } from 'node:fs';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { join } from 'node:path';
import { workspaceRoot } from '@stepwise/infra';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Webhook } from 'standardwebhooks';

/** A delivery as the receiver saw it: verified and parsed, or refused with the reason. */
export interface WebhookDelivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The CloudEvent, when the signature verified and the body is what the contract says for its type. */
  readonly event?: ReceivedCareEvent;
  /** Why it was refused (nothing stored then): `signature: …`, `contract: …`. */
  readonly refused?: string;
}

/** The CloudEvent body of a delivery, as the published contract describes it. */
export interface ReceivedCareEvent {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string;
  readonly time: string;
  readonly data: {
    readonly payload: Readonly<Record<string, unknown>>;
    readonly disclosure: {
      readonly informationCategory: string;
      readonly consent: { readonly id: string; readonly informationCategories: readonly string[] };
      readonly notice: { readonly version: string; readonly text: string; readonly url: string };
      readonly withheldFields: readonly string[];
    };
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking the published document

/**
 * From the published webhook contract only (libs/contracts/generated/webhooks.asyncapi.json): one validator per
 * CloudEvents `type`, each checking the whole body against the schema its message names.
 */
function contractValidators(): ReadonlyMap<string, ValidateFunction> {
  const file = join(workspaceRoot(), 'libs', 'contracts', 'generated', 'webhooks.asyncapi.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: document['components'] as Json }, 'contract');
  const validators = new Map<string, ValidateFunction>();
  const schemaOf = (ref: string): Json =>
    document['components'].schemas[ref.slice(ref.lastIndexOf('/') + 1)] as Json;
  for (const message of Object.values(document['components'].messages as Json)) {
    const ref = message.payload.$ref as string;
    // An event offered in both payload formats has a body that is one of two schemas, with the same `type`.
    const body = schemaOf(ref);
    const schema = body['oneOf'] === undefined ? body : schemaOf(body['oneOf'][0].$ref as string);
    validators.set(
      schema['properties'].type.const as string,
      ajv.compile({ $ref: ref.replace('#', 'contract#') }),
    );
  }
  return validators;
}

/**
 * An outside system's webhook endpoint on loopback (an EHR or a care-coordination platform), built as an
 * integrator would build it: it verifies each delivery with a Standard Webhooks library and the subscription's
 * secret, checks the body against the published contract, and only then accepts it (204). A delivery that does
 * not verify is refused (401), one that breaks the contract too (422); before it knows its secret it answers 503,
 * so the delivery is retried. Every delivery is kept with its outcome, so a test can prove none was refused.
 */
export class WebhookReceiver {
  private webhook: Webhook | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly deliveries: readonly WebhookDelivery[],
  ) {}

  /** Every delivery accepted, parsed. */
  get events(): ReceivedCareEvent[] {
    return this.deliveries.flatMap((delivery) => (delivery.event === undefined ? [] : [delivery.event]));
  }

  /** The subscription's secret, as its creation answered it: deliveries are verified with it from now on. */
  trust(secret: string): void {
    this.webhook = new Webhook(secret);
  }

  static async start(): Promise<WebhookReceiver> {
    const validators = contractValidators();
    const deliveries: WebhookDelivery[] = [];
    let receiver: WebhookReceiver | undefined = undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const webhook = receiver?.webhook;
        if (webhook === undefined) {
          response.writeHead(503).end();
          return;
        }
        const outcome = receive(webhook, validators, request.headers, body);
        if ('event' in outcome) {
          deliveries.push({ headers: request.headers, body, event: outcome.event });
          response.writeHead(204).end();
        } else {
          deliveries.push({ headers: request.headers, body, refused: outcome.refused });
          response.writeHead(outcome.status).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hooks/stepwise`, deliveries);
    return receiver;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function receive(
  webhook: Webhook,
  validators: ReadonlyMap<string, ValidateFunction>,
  headers: IncomingHttpHeaders,
  body: string,
): { event: ReceivedCareEvent } | { refused: string; status: number } {
  let parsed: unknown;
  try {
    parsed = webhook.verify(body, headers as Record<string, string>);
  } catch (error) {
    return { refused: `signature: ${(error as Error).message}`, status: 401 };
  }
  const type = (parsed as { type?: unknown } | null)?.type;
  const validate = typeof type === 'string' ? validators.get(type) : undefined;
  if (validate === undefined)
    return { refused: `contract: no message for type ${String(type)}`, status: 422 };
  if (headers['content-type'] !== 'application/cloudevents+json; charset=utf-8')
    return { refused: `contract: content-type ${String(headers['content-type'])}`, status: 415 };
  if (!validate(parsed)) return { refused: `contract: ${JSON.stringify(validate.errors)}`, status: 422 };
  return { event: parsed as ReceivedCareEvent };
}
