/**
 * The NestJS peer of the HTTP benchmark, run in a process of its own (as the sessions service runs in its):
 * Nest's default platform (express), a guard that verifies the bearer token against the issuer's JWKS
 * exactly as the services' JwtVerifier does (jose, the same key-set options, algorithm, issuer, audience,
 * clock skew and required claims), and a handler that does one autocommitted INSERT of an attendance row.
 * No rate limit, audit, scope check, outbox or idempotency: what an application written with the framework's
 * defaults does for the same request. Prints `READY <port>`; stops on SIGTERM.
 *
 * Environment: DATABASE_URL, POOL_SIZE, AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, AUTH_CLOCK_SKEW_SECONDS.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Inject,
  Injectable,
  Module,
  Param,
  Put,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { dataSourceOptions } from '@stepwise/platform';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { type DataSource } from 'typeorm';
import { PEER_SCHEMA } from './peer-table';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};

// The options of the services' remoteKeys(): the key set is fetched once and cached.
const keys = createRemoteJWKSet(new URL(env('AUTH_JWKS_URL')), {
  timeoutDuration: 2_000,
  cooldownDuration: 30_000,
  cacheMaxAge: 10 * 60_000,
});

interface PeerRequest {
  headers: Record<string, string | string[] | undefined>;
  sub?: string;
}

@Injectable()
class BearerGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PeerRequest>();
    const header = request.headers['authorization'];
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (token === undefined) throw new UnauthorizedException();
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: env('AUTH_ISSUER'),
        audience: env('AUTH_AUDIENCE'),
        clockTolerance: Number(env('AUTH_CLOCK_SKEW_SECONDS')),
        requiredClaims: ['sub', 'exp'],
      });
      request.sub = payload.sub;
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }
}

interface Entry {
  appointmentId: string;
  status: string;
  minutesAttended?: number;
}

@Controller('v1/occurrences/:occurrenceId/attendance')
@UseGuards(BearerGuard)
class AttendanceController {
  constructor(@Inject(getDataSourceToken()) private readonly dataSource: DataSource) {}

  @Put()
  async record(
    @Param('occurrenceId') occurrenceId: string,
    @Body() body: { entries: Entry[] },
  ): Promise<{ occurrenceId: string; records: unknown[] }> {
    const records = [];
    for (const entry of body.entries) {
      const attendanceId = randomUUID();
      await this.dataSource.query(
        `INSERT INTO "${PEER_SCHEMA}".attendance
           (attendance_id, appointment_id, occurrence_id, outcome, minutes_attended, recorded_at)
         VALUES ($1, $2, $3, $4, $5, now())`,
        [attendanceId, entry.appointmentId, occurrenceId, entry.status, entry.minutesAttended ?? 180],
      );
      records.push({ attendanceId, appointmentId: entry.appointmentId, status: entry.status, changed: true });
    }
    return { occurrenceId, records };
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot(
      dataSourceOptions(env('DATABASE_URL'), {
        schema: PEER_SCHEMA,
        migrations: [],
        applicationName: 'bench-http-peer',
        poolSize: Number(env('POOL_SIZE')),
      }),
    ),
  ],
  controllers: [AttendanceController],
  providers: [BearerGuard],
})
class PeerModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(PeerModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`READY ${address.port}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
