import { SITE } from './render-screen';

/** A three-hour evening process group at SITE, as scheduling's roster answers it. */
export const OCC = '0c8a1d1e-0000-4000-8000-000000000001';

export const groupOccurrence = (facilitatorId: string) => ({
  id: OCC,
  siteId: SITE,
  kind: 'group',
  sessionType: 'process-group',
  facilitatorId,
  room: 'B2',
  modality: 'in-person',
  localDate: '2027-03-10',
  startsAt: '2027-03-10T23:00:00Z',
  endsAt: '2027-03-11T02:00:00Z',
  status: 'scheduled',
});
