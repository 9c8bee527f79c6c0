import { type EventPayload, type EventTypeName } from '../registry/registry';
import { type Confidentiality } from '../vocabularies/confidentiality';

/** A decoded, validated event: the CloudEvents attributes and the typed payload. */
export interface CareEvent<T extends EventTypeName = EventTypeName> {
  readonly type: T;
  readonly version: number;
  /** `care.<service>.<EventName>.v<version>` */
  readonly ceType: string;
  /** The event id (`ce_id`): consumers deduplicate on it. */
  readonly id: string;
  readonly source: string;
  /** `ce_time`: when the fact happened at the producer, RFC 3339. */
  readonly time: string;
  /** The record key (also `ce_subject`). */
  readonly key: string;
  readonly siteId: string | undefined;
  readonly correlationId: string;
  readonly causationId: string | undefined;
  readonly confidentiality: Confidentiality;
  readonly traceparent: string | undefined;
  readonly data: EventPayload<T>;
}

/** Any decoded event, as a union discriminated by `type`: a `switch (event.type)` narrows `event.data`. */
export type AnyCareEvent = { [T in EventTypeName]: CareEvent<T> }[EventTypeName];
