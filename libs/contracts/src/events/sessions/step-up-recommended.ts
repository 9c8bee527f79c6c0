import { Topics } from '../../topics/topics';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { defineEvent } from '../define-event';
import { StepUpRecommendedV1Payload } from './level-of-care-recommendation';

export const StepUpRecommended = defineEvent({
  type: 'StepUpRecommended',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: StepUpRecommendedV1Payload,
  summary: 'The progress rules recommend a more intensive level of care; a clinician decides.',
});
