import { Alert, Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { type User, type UserManager } from 'oidc-client-ts';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { type Ability, can } from './abilities';
import { claimsOf, type StaffClaims } from './claims';

export interface Session {
  claims: StaffClaims;
  /** The current access token (renewed in memory). */
  accessToken: () => string | undefined;
  can: (ability: Ability) => boolean;
  signOut: () => void;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Gives a session to what it wraps (the sign-in below, or a test). */
export const SessionProvider = SessionContext.Provider;

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside <SignedIn>');
  return session;
}

/** Only app paths go through the provider's `state` (ids at most, never names). */
const safeReturnPath = (value: unknown): string =>
  typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';

type Phase =
  | { kind: 'starting' }
  | { kind: 'signed-out' }
  | { kind: 'signed-in'; user: User }
  | { kind: 'failed'; message: string };

/**
 * Shows its children to a signed-in person only. Completes the provider's redirect when the URL carries its
 * answer (then removes the code from the address bar), otherwise offers the sign-in button.
 */
export function SignedIn({ manager, children }: { manager: UserManager; children: ReactNode }): ReactNode {
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const userRef = useRef<User | undefined>(undefined);

  useEffect(() => {
    let live = true;
    const params = new URLSearchParams(window.location.search);
    const start = async (): Promise<void> => {
      if (params.has('code') && params.has('state')) {
        const user = await manager.signinRedirectCallback();
        window.history.replaceState(null, '', safeReturnPath(user.state));
        return done(user);
      }
      if (params.has('error')) throw new Error(params.get('error_description') ?? 'Sign-in was refused');
      const user = await manager.getUser();
      if (user !== null && !user.expired) return done(user);
      if (live) setPhase({ kind: 'signed-out' });
    };
    const done = (user: User): void => {
      userRef.current = user;
      if (live) setPhase({ kind: 'signed-in', user });
    };
    start().catch((error: unknown) => {
      window.history.replaceState(null, '', '/');
      if (live) setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    });
    const onLoaded = (user: User): void => done(user);
    const onGone = (): void => {
      userRef.current = undefined;
      if (live) setPhase({ kind: 'signed-out' });
    };
    manager.events.addUserLoaded(onLoaded);
    manager.events.addUserSignedOut(onGone);
    manager.events.addAccessTokenExpired(onGone);
    return () => {
      live = false;
      manager.events.removeUserLoaded(onLoaded);
      manager.events.removeUserSignedOut(onGone);
      manager.events.removeAccessTokenExpired(onGone);
    };
  }, [manager]);

  const user = phase.kind === 'signed-in' ? phase.user : undefined;
  const session = useMemo<Session | undefined>(() => {
    if (user === undefined) return undefined;
    const claims = claimsOf(user.access_token);
    if (claims === undefined) return undefined;
    return {
      claims,
      accessToken: () => userRef.current?.access_token,
      can: (ability) => can(claims.roles, ability),
      signOut: () => {
        void manager.removeUser().then(() => manager.signoutRedirect({ id_token_hint: user.id_token }));
      },
    };
  }, [user, manager]);

  const signIn = (): void => {
    manager
      .signinRedirect({ state: window.location.pathname + window.location.search })
      .catch((error: unknown) =>
        setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
  };

  if (session !== undefined)
    return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
  if (phase.kind === 'starting') {
    return (
      <Center h="100vh">
        <Loader aria-label="Signing in" />
      </Center>
    );
  }
  return (
    <Center h="100vh">
      <Stack align="center" maw={420}>
        <Title order={1}>Stepwise</Title>
        <Text c="dimmed">Staff console. Sign in with your clinic account.</Text>
        {phase.kind === 'failed' && (
          <Alert color="red" title="Sign-in failed" role="alert">
            {phase.message}
          </Alert>
        )}
        {phase.kind === 'signed-in' && (
          <Alert color="red" title="Sign-in failed" role="alert">
            The identity provider's token has no subject.
          </Alert>
        )}
        <Button onClick={signIn} autoFocus>
          Sign in
        </Button>
      </Stack>
    </Center>
  );
}
