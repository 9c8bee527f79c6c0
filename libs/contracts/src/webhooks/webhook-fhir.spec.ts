import { examplePayload } from '../testing/example-events';
import { FHIR_WEBHOOK_EVENT_TYPES, fhirDisclosure, offeredAsFhir } from './webhook-fhir';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';

describe(fhirDisclosure.name, () => {
  it('lets an event leave as its resource when the consent covers the event and the resource', () => {
    expect(fhirDisclosure('SessionAttended', examplePayload('SessionAttended'), ['attendance'])).toEqual({
      resourceType: 'Encounter',
    });
    expect(
      fhirDisclosure('AppointmentCancelled', examplePayload('AppointmentCancelled'), ['schedule']),
    ).toEqual({ resourceType: 'Appointment' });
  });

  it("withholds it when the consent does not cover the event's own category", () => {
    expect(fhirDisclosure('SessionAttended', examplePayload('SessionAttended'), ['schedule'])).toEqual({
      withheld: 'attendance',
    });
  });

  it('withholds a discharge unless the consent also covers level-of-care (an EpisodeOfCare tells it)', () => {
    const discharge = examplePayload('ClientDischarged');
    expect(fhirDisclosure('ClientDischarged', discharge, ['discharge-summary'])).toEqual({
      withheld: 'level-of-care',
    });
    expect(fhirDisclosure('ClientDischarged', discharge, ['discharge-summary', 'level-of-care'])).toEqual({
      resourceType: 'EpisodeOfCare',
    });
  });

  it('a consent event goes to the recipient it names, whatever its categories', () => {
    expect(fhirDisclosure('ConsentRevoked', examplePayload('ConsentRevoked'), [])).toEqual({
      resourceType: 'Consent',
    });
  });

  it('offers only subscribable events, and not those that change no resource', () => {
    for (const type of FHIR_WEBHOOK_EVENT_TYPES) expect(WEBHOOK_EVENT_TYPES).toContain(type);
    expect(offeredAsFhir('DrugScreenResulted')).toBe(false);
    expect(offeredAsFhir('NoteSigned')).toBe(false);
    expect(offeredAsFhir('constructor')).toBe(false);
  });
});
