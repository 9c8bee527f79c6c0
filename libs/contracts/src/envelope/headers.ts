/** Kafka header names of the CloudEvents 1.0 Kafka protocol binding (binary mode) and our extensions. */
export const CloudEventHeaders = {
  Id: 'ce_id',
  Source: 'ce_source',
  Type: 'ce_type',
  SpecVersion: 'ce_specversion',
  Time: 'ce_time',
  Subject: 'ce_subject',
  SiteId: 'ce_siteid',
  CorrelationId: 'ce_correlationid',
  CausationId: 'ce_causationid',
  Confidentiality: 'ce_confidentiality',
} as const;

export const CONTENT_TYPE_HEADER = 'content-type';
export const TRACEPARENT_HEADER = 'traceparent';
/** Where the CloudEvents SDK puts a `traceparent` extension attribute; accepted on read for interoperability. */
export const CE_TRACEPARENT_HEADER = 'ce_traceparent';

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

/** `care.<service>.<EventName>.v<version>` */
export const CE_TYPE_PATTERN = /^care\.([a-z][a-z0-9-]*)\.([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)$/;
