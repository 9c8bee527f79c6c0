import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsEnumList } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { AftercareReferral, DischargeReason } from '../../vocabularies/intake';
import { defineEvent } from '../define-event';

export class ClientDischargedV1Payload {
  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsInstant()
  readonly dischargedAt!: string;

  @IsEnum(DischargeReason)
  readonly reason!: DischargeReason;

  @IsEnumList(AftercareReferral, 0)
  @Describe('Kinds of continuing care the client was referred to (codes only; may be empty).')
  readonly referredTo!: readonly AftercareReferral[];
}

export const ClientDischarged = defineEvent({
  type: 'ClientDischarged',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: ClientDischargedV1Payload,
  summary: "A client's episode of care ended.",
});
