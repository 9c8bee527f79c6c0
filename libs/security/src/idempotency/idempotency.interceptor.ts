import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { type Observable, catchError, from, mergeMap, of, throwError } from 'rxjs';
import { type AuthenticatedRequest, principalOf } from '../auth/request-principal';
import { ProblemException } from '../problems/problem.exception';
import { requestFingerprint } from './fingerprint';
import { IdempotencyStore } from './idempotency.store';
import { IDEMPOTENT_ROUTE } from './idempotent.decorator';

/** Visible ASCII without spaces, as the IETF Idempotency-Key draft suggests for keys such as UUIDs. */
const KEY = /^[\x21-\x7e]{1,255}$/;

/** Applies `@Idempotent()` routes' Idempotency-Key semantics around the handler. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    if (this.reflector.get<boolean | undefined>(IDEMPOTENT_ROUTE, context.getHandler()) !== true)
      return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['idempotency-key'];
    if (header === undefined) return next.handle();
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!KEY.test(key)) {
      return throwError(
        () =>
          new ProblemException('idempotency-key-invalid', {
            detail: 'Use 1 to 255 visible ASCII characters',
          }),
      );
    }
    const principal = principalOf(request).id;
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const fingerprint = requestFingerprint(
      request.method,
      request.originalUrl.split('?')[0] ?? '',
      request.body,
    );
    const response = context.switchToHttp().getResponse<Response>();

    return from(this.store.begin(principal, key, fingerprint)).pipe(
      mergeMap((outcome) => {
        switch (outcome.kind) {
          case 'replay':
            response.setHeader('Idempotent-Replayed', 'true');
            response.status(outcome.status);
            return of(outcome.body);
          case 'mismatch':
            return throwError(() => new ProblemException('idempotency-key-reused'));
          case 'in-progress':
            return throwError(() => new ProblemException('idempotency-request-in-progress'));
          case 'started':
            return next.handle().pipe(
              mergeMap(async (body: unknown) => {
                await this.store.complete(principal, key, status, body);
                return body;
              }),
              catchError((error: unknown) =>
                from(this.store.release(principal, key)).pipe(mergeMap(() => throwError(() => error))),
              ),
            );
        }
      }),
    );
  }
}
