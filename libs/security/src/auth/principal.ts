import { type Role } from '../authorization/roles';

/** Who is calling, as established from a verified token. */
export interface Principal {
  /** The token's `sub`: a user id, or the calling service's name. */
  readonly id: string;
  readonly kind: 'user' | 'service';
  /** The roles of the token this service knows; unknown role names grant nothing and are dropped. */
  readonly roles: readonly Role[];
  /** Site ids the principal acts for. */
  readonly sites: readonly string[];
  /** Network id, when the token names one. */
  readonly network: string | undefined;
}

/** The caller of one request, as audit entries and site checks need it. */
export interface Actor {
  readonly principal: Principal;
  /** Correlation id of the request (X-Request-Id). */
  readonly requestId: string;
  /** The client's network address as the server saw it. */
  readonly sourceAddress: string | undefined;
}
