import { examplePayload } from '../testing/example-events';
import { type EventPayload, type EventPayloads } from '../registry/registry';
import { validatePayload } from '../registry/payload-validation';
import { LevelOfCare } from '../vocabularies/level-of-care';
import { type AnyCareEvent, type CareEvent } from './care-event';
import { decodeEvent } from './decode';
import { createEventEncoder } from './encode';
import { dispatchEvent, type EventHandlers, handlesEvent } from './event-handlers';

/**
 * Compile-time guarantees, checked by the `typecheck` target (tsc covers spec files): each `@ts-expect-error`
 * line must be a type error, or tsc fails with "Unused '@ts-expect-error' directive".
 */
const encode = createEventEncoder({
  now: () => new Date('2025-03-03T14:00:00.000Z'),
  newId: () => '01955a00-0000-7000-8000-0000000000c1',
});

function compileTimeChecks(): void {
  // @ts-expect-error a ReferralReceived payload is not a ClientAdmitted payload
  encode('ClientAdmitted', examplePayload('ReferralReceived'));

  // @ts-expect-error a missing required field does not compile
  encode('ConsentRevoked', { consentId: 'a', clientId: 'b' });

  encode('ConsentRevoked', {
    consentId: 'a',
    clientId: 'b',
    revokedAt: 'c',
    // @ts-expect-error an extra field (here: PHI) does not compile
    clientName: 'Jane',
  });

  // @ts-expect-error an unknown event type does not compile
  encode('ClientAdmited', examplePayload('ClientAdmitted'));

  // @ts-expect-error a code outside the vocabulary does not compile
  encode('ClientAdmitted', { ...examplePayload('ClientAdmitted'), levelOfCare: '2.2' });

  const handlers: EventHandlers<'ClientAdmitted' | 'SessionAttended'> = {
    ClientAdmitted: (event) => {
      const level: LevelOfCare = event.data.levelOfCare;
      return Promise.resolve(void level);
    },
    SessionAttended: (event) => {
      // @ts-expect-error SessionAttended has no levelOfCare
      return Promise.resolve(void event.data.levelOfCare);
    },
  };
  void handlers;

  // @ts-expect-error a handler map missing a declared type does not compile
  const incomplete: EventHandlers<'ClientAdmitted' | 'ClientDischarged'> = {
    ClientAdmitted: () => Promise.resolve(),
  };
  void incomplete;

  const wronglyTyped: EventHandlers<'ClientDischarged'> = {
    // @ts-expect-error a handler typed for another event does not compile
    ClientDischarged: (event: CareEvent<'ClientAdmitted'>) => Promise.resolve(void event),
  };
  void wronglyTyped;

  const payload: EventPayloads['StepDownRecommended'] = examplePayload('StepDownRecommended');
  // @ts-expect-error evidence fields are typed
  const rate: string = payload.evidence.attendanceRate;
  void rate;
}
void compileTimeChecks;

describe('typed event map', () => {
  it('narrows a decoded event by its type', () => {
    const message = encode('DrugScreenResulted', examplePayload('DrugScreenResulted'));
    const event: AnyCareEvent = decodeEvent(message);
    switch (event.type) {
      case 'DrugScreenResulted':
        expect(event.data.substanceCodes).toEqual(['cannabinoids']);
        break;
      default:
        throw new Error(`unexpected ${event.type}`);
    }
  });

  it('dispatches to the handler of the event type with its payload', async () => {
    const seen: string[] = [];
    const handlers: EventHandlers<'ClientAdmitted' | 'ClientDischarged'> = {
      ClientAdmitted: (event) => {
        seen.push(`admitted at level ${event.data.levelOfCare}`);
        return Promise.resolve();
      },
      ClientDischarged: (event) => {
        seen.push(`discharged: ${event.data.reason}`);
        return Promise.resolve();
      },
    };
    const admitted = decodeEvent(encode('ClientAdmitted', examplePayload('ClientAdmitted')));
    const result = dispatchEvent(handlers, admitted);
    expect(result.handled).toBe(true);
    if (result.handled) await result.result;
    expect(seen).toEqual(['admitted at level 2.1']);
  });

  it('reports an event type without a handler as not handled, so it can be skipped and counted', () => {
    const handlers: EventHandlers<'ClientAdmitted', string> = { ClientAdmitted: () => 'handled' };
    const waitlisted = decodeEvent(encode('ClientWaitlisted', examplePayload('ClientWaitlisted')));
    expect(handlesEvent(handlers, waitlisted)).toBe(false);
    expect(dispatchEvent(handlers, waitlisted)).toEqual({ handled: false });
    const admitted = decodeEvent(encode('ClientAdmitted', examplePayload('ClientAdmitted')));
    expect(dispatchEvent(handlers, admitted)).toEqual({ handled: true, result: 'handled' });
  });

  it('types validated payloads by event name', () => {
    const payload: EventPayload<'LevelOfCareChanged'> = validatePayload(
      'LevelOfCareChanged',
      JSON.parse(JSON.stringify(examplePayload('LevelOfCareChanged'))),
    );
    expect(payload.toLevel).toBe(LevelOfCare.Outpatient);
  });
});
