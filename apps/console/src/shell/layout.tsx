import { AppShell, Button, Group, NavLink, NativeSelect, Text, Title } from '@mantine/core';
import { type ReactNode } from 'react';
import { NavLink as RouterLink, Outlet, useLocation, useSearchParams } from 'react-router';
import { useSession } from '../auth/session';

/** The site the screens show: `?site=` when it is one of the token's sites, otherwise the first of them. */
export function useSite(): string | undefined {
  const { claims } = useSession();
  const [params] = useSearchParams();
  const asked = params.get('site')?.toLowerCase();
  return asked !== undefined && claims.sites.includes(asked) ? asked : claims.sites[0];
}

export function Layout(): ReactNode {
  const session = useSession();
  const site = useSite();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const withSite = (path: string): string => (site === undefined ? path : `${path}?site=${site}`);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={2} size="h4">
            Stepwise
          </Title>
          <Group>
            {session.claims.sites.length > 1 && (
              <NativeSelect
                aria-label="Site"
                value={site}
                data={session.claims.sites.map((s, i) => ({
                  value: s,
                  label: `Site ${i + 1} (${s.slice(0, 8)})`,
                }))}
                onChange={(e) => {
                  const next = new URLSearchParams(params);
                  next.set('site', e.currentTarget.value);
                  setParams(next);
                }}
              />
            )}
            <Text size="sm" data-testid="signed-in-as">
              {session.claims.name ?? 'Signed in'} · {session.claims.roles.join(', ')}
            </Text>
            <Button variant="default" size="xs" onClick={session.signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Screens">
        {session.can('view-schedule') && (
          <NavLink
            component={RouterLink}
            to={withSite('/today')}
            label="Today"
            active={location.pathname === '/today'}
          />
        )}
        {session.can('read-clients') && (
          <NavLink
            component={RouterLink}
            to={withSite('/census')}
            label="Census"
            active={location.pathname === '/census'}
          />
        )}
        {session.can('run-intake') && (
          <NavLink
            component={RouterLink}
            to={withSite('/intake')}
            label="Intake"
            active={location.pathname === '/intake'}
          />
        )}
        {session.can('read-reviews') && (
          <NavLink
            component={RouterLink}
            to={withSite('/reviews')}
            label="Review queue"
            active={location.pathname === '/reviews'}
          />
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        {site === undefined ? (
          <Text role="alert">Your account is assigned to no site: ask your administrator.</Text>
        ) : (
          <Outlet />
        )}
      </AppShell.Main>
    </AppShell>
  );
}
