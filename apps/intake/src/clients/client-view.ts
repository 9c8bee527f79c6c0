import { type ClientView } from './client.dto';
import { type ClientRow } from './clients.repository';

/** The client as the API shows it. */
export const clientView = (row: ClientRow): ClientView => ({
  id: row.id,
  siteId: row.site_id,
  referralId: row.referral_id,
  givenName: row.given_name,
  familyName: row.family_name,
  dateOfBirth: row.date_of_birth,
  pronouns: row.pronouns,
  preferredLanguage: row.preferred_language,
  timeZone: row.time_zone,
  phone: row.phone,
  email: row.email,
  address: row.address,
  createdAt: row.created_at.toISOString(),
});
