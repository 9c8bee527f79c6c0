import { type ConsentPurpose, type RecipientKind } from '@stepwise/contracts';
import { type Role } from '@stepwise/api-model';

/** Who is calling, as established from a verified token. */
export interface Principal {
  /** The token's `sub`: a user id, the calling service's name, or an outside system's client id. */
  readonly id: string;
  /**
   * `service` for the program's own services; `user` for people and for outside systems (an integration is
   * told apart by its role and `recipient`; the audit tables' actor kinds predate it).
   */
  readonly kind: 'user' | 'service';
  /** The roles of the token this service knows; unknown role names grant nothing and are dropped. */
  readonly roles: readonly Role[];
  /** Site ids the principal acts for. */
  readonly sites: readonly string[];
  /** Network id, when the token names one. */
  readonly network: string | undefined;
  /**
   * An outside system's identity as consents name it (`recipient` claim of an integration token): its kind,
   * its id, and the purposes it was registered for. Absent for staff and services.
   */
  readonly recipient?: OutsideRecipient;
}

/** An outside system as a consent's recipient: `ConsentGranted.recipient` plus its registered purposes. */
export interface OutsideRecipient {
  readonly kind: RecipientKind;
  readonly id: string;
  readonly purposes: readonly ConsentPurpose[];
}

/** The caller of one request, as audit entries and site checks need it. */
export interface Actor {
  readonly principal: Principal;
  /** Correlation id of the request (X-Request-Id). */
  readonly requestId: string;
  /** The client's network address as the server saw it. */
  readonly sourceAddress: string | undefined;
}
