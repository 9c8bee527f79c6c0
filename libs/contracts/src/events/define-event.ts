import { type ServiceName, type TopicName } from '../topics/topics';
import { type Confidentiality } from '../vocabularies/confidentiality';

/** A payload class: validation rules live on its properties; it is constructed without arguments. */
export type PayloadClass<P extends object = object> = new () => P;

/** Names of a payload's string properties: only those can be a record key. */
export type StringKeyOf<P> = { [K in keyof P]-?: P[K] extends string ? K : never }[keyof P] & string;

/** Everything the contract says about one event type, declared next to its payload class. */
export interface EventDefinition<T extends string = string, P extends object = object> {
  /** The event name, e.g. `ClientAdmitted`. */
  readonly type: T;
  /** Starts at 1; a change that is not additive gets a new version (see the README). */
  readonly version: number;
  /** The publishing service; also the `<service>` of `ce_type` and of `ce_source`. */
  readonly service: ServiceName;
  readonly topic: TopicName;
  /** The payload property whose value is the Kafka record key (and `ce_subject`); a string property of P. */
  readonly key: string;
  readonly confidentiality: Confidentiality;
  readonly payload: PayloadClass<P>;
  /** One sentence saying what happened, for the AsyncAPI document and the JSON Schemas. */
  readonly summary: string;
  /** `care.<service>.<EventName>.v<version>` */
  readonly ceType: string;
  /** `/stepwise/<service>` */
  readonly source: string;
}

export function ceTypeOf(service: ServiceName, type: string, version: number): string {
  return `care.${service}.${type}.v${version}`;
}

export function ceSourceOf(service: ServiceName): string {
  return `/stepwise/${service}`;
}

/** Declares an event; `key` must name a string property of the payload class, or it does not compile. */
export function defineEvent<const T extends string, P extends object, const K extends StringKeyOf<P>>(
  spec: Omit<EventDefinition<T, P>, 'ceType' | 'source' | 'key'> & { readonly key: K },
): EventDefinition<T, P> & { readonly key: K } {
  return Object.freeze({
    ...spec,
    ceType: ceTypeOf(spec.service, spec.type, spec.version),
    source: ceSourceOf(spec.service),
  });
}
