import { type Actor, type AuditEvent, type AuditTrail } from '@stepwise/security';
import { type PublicOf } from './stand-in';

/** The audit trail of a unit test: every entry a use case records directly, in order. */
export class FakeAuditTrail implements PublicOf<AuditTrail> {
  readonly entries: AuditEvent[] = [];

  async record(_actor: Actor, event: AuditEvent): Promise<void> {
    this.entries.push(event);
  }

  listForClient(): never {
    throw new Error('use cases of intake do not read the audit trail');
  }
}
