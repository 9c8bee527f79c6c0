/** Property descriptions shared by several events, so the same field reads the same everywhere. */

export const REVISION_DESCRIPTION =
  'Starts at 1; a correction re-publishes the attendance of the same appointment with revision + 1, and consumers keep the highest.';

export const RECIPIENT_ID_DESCRIPTION =
  'Id of the person or system notified (client, family member, staff member or webhook subscriber); the record key.';

export const TRIGGER_EVENT_ID_DESCRIPTION = 'The ce_id of the event that caused the notification.';
