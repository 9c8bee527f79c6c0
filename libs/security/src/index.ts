// Who may do what lives in the browser-safe api-model library (the console reads the same table); the services
// keep importing it from here.
export {
  NETWORK_WIDE_ROLES,
  PERMISSIONS,
  ROLES,
  ROLE_PERMISSIONS,
  hasPermission,
  isRole,
  permissionsOf,
  type Permission,
  type Role,
} from '@stepwise/api-model';
export * from './audit/audit-table';
export * from './audit/audit-trail';
export * from './auth/jwt-verifier';
export * from './auth/principal';
export * from './auth/request-principal';
export * from './auth/token-claims';
export * from './authorization/require-permission.decorator';
export * from './authorization/emergency-access';
export * from './authorization/site-directory';
export * from './authorization/site-scope';
export * from './authorization/scoped-records';
export * from './http/configure-http';
export * from './http/json-shape';
export * from './http/validation';
export * from './idempotency/fingerprint';
export * from './idempotency/idempotency-table';
export * from './idempotency/idempotency.store';
export * from './idempotency/idempotent.decorator';
export * from './pagination/cursor';
export * from './pagination/page';
export * from './problems/problem-catalogue';
export * from './problems/problem-document';
export * from './problems/problem.exception';
export * from './problems/to-problem';
export * from './routes/route-inventory';
export * from './security.module';
export * from './migrations';
export * from './testing/in-memory-scoped-records';
export * from './service-calls/service-token.client';
export * from './service-calls/served-disclosures';
export * from './service-calls/served-fhir-reads';
export * from './service-calls/fhir-search.dto';
export * from './service-calls/fhir-routes';
