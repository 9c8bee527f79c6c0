import { Topics } from '../../topics/topics';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { defineEvent } from '../define-event';
import { StepDownRecommendedV1Payload } from './level-of-care-recommendation';

export const StepDownRecommended = defineEvent({
  type: 'StepDownRecommended',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: StepDownRecommendedV1Payload,
  summary: 'The progress rules recommend a less intensive level of care; a clinician decides.',
});
