// The first import of main.ts: starts tracing (when the OTEL_* variables configure it) before any module that
// OpenTelemetry instruments is loaded. See libs/platform/src/tracing/start-tracing.ts.
import { startTracing } from '@stepwise/platform/tracing';

startTracing('scheduling');
