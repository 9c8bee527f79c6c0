import { type DynamicModule, Global, Module, type Type } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerModule } from '@nestjs/throttler';
import { REDIS, ServiceConfig } from '@stepwise/platform';
import type Redis from 'ioredis';
import { AuditController } from './audit/audit.controller';
import { AuditTrail } from './audit/audit-trail';
import { JwtVerifier, TOKEN_KEYS, remoteKeys } from './auth/jwt-verifier';
import { SiteDirectory, UnknownSiteDirectory } from './authorization/site-directory';
import { SiteScope } from './authorization/site-scope';
import { EmergencyAccessGrants } from './authorization/emergency-access';
import { ScopedRecords } from './authorization/scoped-records';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { PrincipalThrottlerGuard } from './rate-limit/principal-throttler.guard';
import { SecurityGuard } from './security.guard';

export interface SecurityOptions {
  /** Where network-wide callers learn a site's network (default: nowhere; see SiteDirectory). */
  readonly siteDirectory?: Type<SiteDirectory>;
}

/**
 * The security baseline every service imports once, next to PlatformModule: the global guard
 * (authentication, rate limit, permissions, site scope), Idempotency-Key handling, the audit trail and its
 * auditor endpoint. AuditTrail, SiteScope and IdempotencyStore are injectable anywhere in the app.
 * The HTTP half (prefix, body limits, validation, problem+json, headers, CORS, OpenAPI) is `configureHttp`.
 */
@Global()
@Module({})
export class SecurityModule {
  static forService(options: SecurityOptions = {}): DynamicModule {
    return {
      module: SecurityModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [ServiceConfig, REDIS],
          useFactory: (config: ServiceConfig, redis: Redis) => ({
            throttlers: [
              {
                name: 'default',
                ttl: config.RATE_LIMIT_WINDOW_SECONDS * 1_000,
                limit: config.RATE_LIMIT_REQUESTS,
              },
            ],
            storage: new ThrottlerStorageRedisService(redis),
          }),
        }),
      ],
      controllers: [AuditController],
      providers: [
        { provide: TOKEN_KEYS, inject: [ServiceConfig], useFactory: remoteKeys },
        JwtVerifier,
        PrincipalThrottlerGuard,
        { provide: SiteDirectory, useClass: options.siteDirectory ?? UnknownSiteDirectory },
        SiteScope,
        EmergencyAccessGrants,
        ScopedRecords,
        AuditTrail,
        IdempotencyStore,
        { provide: APP_GUARD, useClass: SecurityGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [AuditTrail, SiteScope, ScopedRecords, IdempotencyStore, JwtVerifier, SiteDirectory],
    };
  }
}
