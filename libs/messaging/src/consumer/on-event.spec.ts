import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { type InboxContext } from './inbox-context';
import { EventsController, OnEvent } from './on-event';

@EventsController()
class Handlers {
  readonly seen: string[] = [];

  @OnEvent('ClientAdmitted')
  async admitted(
    @Payload() admission: EventPayload<'ClientAdmitted'>,
    @Ctx() { event }: InboxContext<'ClientAdmitted'>,
  ): Promise<void> {
    this.seen.push(`${event.id}:${admission.episodeId}`);
  }

  @OnEvent('ClientDischarged')
  async discharged(@Ctx() { event }: InboxContext<'ClientDischarged'>): Promise<void> {
    this.seen.push(event.data.dischargedAt);
  }

  // @ts-expect-error a handler declared for one event type must take that type's payload
  @OnEvent('ClientAdmitted')
  async mismatched(@Payload() wrong: EventPayload<'AppointmentCancelled'>): Promise<void> {
    this.seen.push(wrong.appointmentId);
  }
}

describe('OnEvent', () => {
  it("is Nest's @EventPattern with the event type as the pattern", () => {
    const patterns = (method: keyof Handlers): unknown =>
      Reflect.getMetadata(PATTERN_METADATA, Handlers.prototype[method]);
    expect(patterns('admitted')).toEqual(['ClientAdmitted']);
    expect(patterns('discharged')).toEqual(['ClientDischarged']);
  });
});
