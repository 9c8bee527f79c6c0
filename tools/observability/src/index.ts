// The observability artefacts as data, for the live check against a real Prometheus (e2e/src/observability).
export * from './expressions';
export * from './live-expectations';
export * from './promql';
export { ALERT_RULES, RECORDING_RULES } from './alerts/alert-rules';
export { DASHBOARDS } from './artifacts';
