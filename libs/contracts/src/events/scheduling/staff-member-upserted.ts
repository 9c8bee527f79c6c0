import { IsBoolean, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsEnumList, IsUuidList } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { StaffRole } from '../../vocabularies/program';
import { defineEvent } from '../define-event';

/** Contact details stay in scheduling; notifications looks them up at send time. */
export class StaffMemberUpsertedV1Payload {
  @IsUUID()
  readonly staffId!: string;

  @IsUUID()
  readonly networkId!: string;

  @IsUuidList(0, 500)
  @Describe('Sites the staff member works at.')
  readonly siteIds!: readonly string[];

  @IsEnumList(StaffRole, 0)
  readonly roles!: readonly StaffRole[];

  @IsBoolean()
  readonly active!: boolean;

  @IsInstant()
  @Describe('When this version of the staff record was saved.')
  readonly updatedAt!: string;
}

export const StaffMemberUpserted = defineEvent({
  type: 'StaffMemberUpserted',
  version: 1,
  service: 'scheduling',
  topic: Topics.SchedulingReference,
  key: 'staffId',
  confidentiality: Confidentiality.Internal,
  payload: StaffMemberUpsertedV1Payload,
  summary: "The current state of a staff member's roles and sites (reference data; no contact details).",
});
