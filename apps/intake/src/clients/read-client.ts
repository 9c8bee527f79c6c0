import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { type ClientView } from './client.dto';
import { clientView } from './client-view';
import { CLIENT } from './clients.repository';

/** Shows a client's demographics and contacts; the read is audited. */
@Injectable()
export class ReadClient {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, id: string): Promise<ClientView> {
    return clientView(await this.records.read(actor, CLIENT, id));
  }
}
