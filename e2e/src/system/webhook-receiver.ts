import { type Server, createServer } from 'node:http';

export interface WebhookDelivery {
  readonly signature: string;
  readonly body: string;
}

/**
 * An outside system's webhook endpoint on loopback (an EHR or a care-coordination platform): it accepts every
 * delivery and keeps its raw body and signature header, so a test can verify and read them.
 */
export class WebhookReceiver {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly deliveries: readonly WebhookDelivery[],
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const deliveries: WebhookDelivery[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        deliveries.push({
          signature: String(request.headers['stepwise-signature'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return new WebhookReceiver(server, `http://127.0.0.1:${port}/hooks/stepwise`, deliveries);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
