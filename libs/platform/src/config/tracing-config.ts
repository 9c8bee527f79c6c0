import { Expose, Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { HTTP_URL, Requires } from './config-rules';

export const TRACES_EXPORTERS = ['otlp', 'zipkin', 'none'] as const;
export type TracesExporter = (typeof TRACES_EXPORTERS)[number];

export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

/**
 * The standard OpenTelemetry variables a service reads for its traces (a subset of the SDK's environment
 * specification: the ones this project supports, each validated). Tracing is off unless configured: no
 * exporter named and no OTLP endpoint given means no SDK is loaded at all.
 */
export class TracingConfig {
  /** `otlp`, `zipkin` or `none`; unset: `otlp` when an OTLP endpoint is set, else `none`. */
  @Expose()
  @IsOptional()
  @IsIn(TRACES_EXPORTERS, { message: `OTEL_TRACES_EXPORTER must be one of ${TRACES_EXPORTERS.join(', ')}` })
  OTEL_TRACES_EXPORTER?: TracesExporter;

  /** The collector's OTLP/HTTP base URL; traces go to `<endpoint>/v1/traces`. */
  @Expose()
  @IsOptional()
  @Matches(HTTP_URL, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The full OTLP/HTTP traces URL, when it is not `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  @Expose()
  @IsOptional()
  @Matches(HTTP_URL, { message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http:// or https:// URL' })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  /** Zipkin's span intake (its default is the specification's). */
  @Expose()
  @Matches(HTTP_URL, { message: 'OTEL_EXPORTER_ZIPKIN_ENDPOINT must be an http:// or https:// URL' })
  OTEL_EXPORTER_ZIPKIN_ENDPOINT = 'http://localhost:9411/api/v2/spans';

  /** The `service.name` of every span; unset: the service's own name (intake, scheduling, …). */
  @Expose()
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, {
    message: 'OTEL_SERVICE_NAME may contain only letters, digits, ".", "_" and "-" (at most 100)',
  })
  OTEL_SERVICE_NAME?: string;

  @Expose()
  @IsIn(TRACES_SAMPLERS, { message: `OTEL_TRACES_SAMPLER must be one of ${TRACES_SAMPLERS.join(', ')}` })
  OTEL_TRACES_SAMPLER: TracesSampler = 'parentbased_always_on';

  /** The sampled share of traces for the `traceidratio` samplers (0–1; default 1). */
  @Expose()
  @IsOptional()
  @Type(() => Number)
  @IsNumber({}, { message: 'OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1' })
  @Min(0, { message: 'OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1' })
  @Max(1, { message: 'OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1' })
  @Requires<TracingConfig>(
    (config) => config.OTEL_TRACES_SAMPLER.endsWith('traceidratio'),
    'OTEL_TRACES_SAMPLER_ARG needs OTEL_TRACES_SAMPLER=traceidratio or parentbased_traceidratio',
  )
  OTEL_TRACES_SAMPLER_ARG?: number;
}

/** Where this configuration sends spans: off (`none`) unless an exporter or an OTLP endpoint was given. */
export function tracesExporter(config: TracingConfig): TracesExporter {
  if (config.OTEL_TRACES_EXPORTER !== undefined) return config.OTEL_TRACES_EXPORTER;
  const otlp = config.OTEL_EXPORTER_OTLP_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return otlp === undefined ? 'none' : 'otlp';
}

/** The OTLP/HTTP traces URL: the specific variable, else the base endpoint's `/v1/traces`, else the local default. */
export function otlpTracesUrl(config: TracingConfig): string {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined)
    return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318';
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}
