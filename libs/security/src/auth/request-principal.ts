import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemException } from '../problems/problem.exception';
import { requestIdOf } from '../problems/problem.filter';
import { type Actor, type Principal } from './principal';

/** A request after authentication: the guard attaches the verified principal. */
export type AuthenticatedRequest = Request & { principal?: Principal };

export function principalOf(request: AuthenticatedRequest): Principal {
  // Only reachable on a public route, which has no principal by design: a programming error, not a 401.
  if (request.principal === undefined) throw new ProblemException('internal-error');
  return request.principal;
}

export function actorOf(request: AuthenticatedRequest): Actor {
  return { principal: principalOf(request), requestId: requestIdOf(request), sourceAddress: request.ip };
}

/** The verified caller of the request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);

/** The caller with the request's correlation id and source address: what audit entries record. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor =>
  actorOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
