import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { assertBornBy } from './birth-date';
import { type ClientView, type UpdateClientDto } from './client.dto';
import { clientView } from './client-view';
import { CLIENT, ClientsRepository } from './clients.repository';

/** Changes a client's demographics or contacts (any subset, at least one); audited, never published. */
@Injectable()
export class UpdateClient {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly clients: ClientsRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, body: UpdateClientDto): Promise<ClientView> {
    if (Object.values(body).every((value) => value === undefined)) {
      throw new ProblemException('validation-failed', { detail: 'Name at least one field to change' });
    }
    assertBornBy(body.dateOfBirth, this.clock.now());
    return this.unitOfWork.run(async (tx) => {
      await this.records.load(actor, CLIENT, id, 'update', tx.manager);
      const row = await this.clients.update(tx.manager, id, body);
      await this.records.audited(actor, 'update', CLIENT, refOf(CLIENT, row), tx.manager);
      return clientView(row);
    });
  }
}
