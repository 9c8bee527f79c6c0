import { Anchor, Button, Center, Group, Loader, Stack, Stepper, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type PageView as Page } from '@stepwise/api-model';
import { useSession } from '../auth/session';
import { useApi } from '../shell/api-context';
import { useSite } from '../shell/layout';
import { QueryState } from '../shell/status';
import { AdmissionForm } from './admission-step';
import { AssessmentForm, AssessmentResult } from './assessment-step';
import { ClientForm, ClientSummary } from './client-step';
import {
  type Assessment,
  type Client,
  type Episode,
  type Referral,
  referralMoves,
  resumeAt,
  type Screening,
  type Step,
  STEPS,
} from './intake-flow';
import { IntakeStart, ReferralSummary } from './referral-step';
import { ScreeningForm, ScreeningResults } from './screening-step';
import { StepProblem } from './step-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id from the address, when it is one (anything else is ignored, never sent). */
const idParam = (value: string | null): string | undefined =>
  value !== null && UUID.test(value) ? value.toLowerCase() : undefined;

/**
 * The intake flow (`/intake?site=&referral=&client=`): referral → client → screenings → assessment → admission.
 * The address carries ids only, so a reload, or a referral or client picked from the start, resumes where the
 * records say the intake stands. Offered to roles that hold every write it makes (intake coordinators).
 */
export function IntakePage(): ReactNode {
  const session = useSession();
  const site = useSite() ?? '';
  if (!session.can('run-intake')) {
    return <Text role="alert">Your role does not run intakes.</Text>;
  }
  return <IntakeFlow site={site} />;
}

function IntakeFlow({ site }: { site: string }): ReactNode {
  const api = useApi();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const referralId = idParam(params.get('referral'));
  const [chosen, setChosen] = useState<Step | undefined>();
  const [episode, setEpisode] = useState<Episode | undefined>();

  const readClient = async (id: string): Promise<Client | undefined> => {
    const { data } = await api.intake.GET('/v1/clients/{clientId}', { params: { path: { clientId: id } } });
    return data;
  };
  const referral = useQuery({
    queryKey: ['intake', 'referral', referralId],
    enabled: referralId !== undefined,
    queryFn: async (): Promise<Referral | undefined> => {
      const { data } = await api.intake.GET('/v1/referrals/{referralId}', {
        params: { path: { referralId: referralId ?? '' } },
      });
      return data;
    },
  });
  const clientId = idParam(params.get('client')) ?? referral.data?.clientId ?? undefined;
  const client = useQuery({
    queryKey: ['intake', 'client', clientId],
    enabled: clientId !== undefined,
    queryFn: () => readClient(clientId ?? ''),
  });
  const screenings = useQuery({
    queryKey: ['intake', 'screenings', clientId],
    enabled: clientId !== undefined,
    queryFn: async (): Promise<Screening[]> => {
      const { data } = await api.intake.GET('/v1/clients/{clientId}/screenings', {
        params: { path: { clientId: clientId ?? '' }, query: { limit: 100 } },
      });
      return (data as unknown as Page<Screening> | undefined)?.items ?? [];
    },
  });
  const assessments = useQuery({
    queryKey: ['intake', 'assessments', clientId],
    enabled: clientId !== undefined,
    queryFn: async (): Promise<Assessment[]> => {
      const { data } = await api.intake.GET('/v1/clients/{clientId}/assessments', {
        params: { path: { clientId: clientId ?? '' }, query: { limit: 100 } },
      });
      return (data as unknown as Page<Assessment> | undefined)?.items ?? [];
    },
  });

  /** Puts the intake's ids in the address (ids only: never a name), keeping the site. */
  const show = (ids: { referral?: string | undefined; client?: string | undefined }): void => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(ids)) {
      if (value === undefined) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };

  // Reaching screenings or the admission moves the referral on (received → screening → assessed).
  const advance = useMutation({
    mutationFn: async (to: Step): Promise<Step> => {
      const current = referralId === undefined ? undefined : referral.data;
      for (const move of referralMoves(current?.status, to)) {
        const { data } = await api.intake.POST('/v1/referrals/{referralId}/transitions', {
          params: { path: { referralId: current?.id ?? '' } },
          body: { to: move },
        });
        if (data !== undefined) queryClient.setQueryData(['intake', 'referral', data.id], data);
      }
      return to;
    },
    onSuccess: setChosen,
  });

  // A client found by search brings the referral they came from into the address too (ids only).
  const resumeClient = async (id: string): Promise<void> => {
    const found = await queryClient
      .fetchQuery({ queryKey: ['intake', 'client', id], queryFn: () => readClient(id) })
      .catch(() => undefined);
    show({ referral: idParam(found?.referralId ?? null), client: id });
  };

  const loading =
    (referralId !== undefined && referral.isPending) ||
    (clientId !== undefined && (client.isPending || screenings.isPending || assessments.isPending));
  const loadError = referral.error ?? client.error ?? screenings.error ?? assessments.error;
  if (loadError !== null) return <QueryState label="The intake" isPending={false} error={loadError} />;
  if (loading) {
    return (
      <Center p="lg">
        <Loader size="sm" aria-label="Loading the intake" />
      </Center>
    );
  }

  const latest = assessments.data?.at(-1);
  const resumed = resumeAt({
    referral: referral.data,
    client: client.data,
    assessments: assessments.data ?? [],
    episode,
  });
  const step: Step | 'done' | 'closed' =
    resumed === 'done' || resumed === 'closed' ? resumed : (chosen ?? resumed);
  const active = step === 'done' ? STEPS.length : step === 'closed' ? 0 : STEPS.indexOf(step);
  const onwards: Step =
    resumed === 'done' || resumed === 'closed' || resumed === 'referral' ? 'client' : resumed;
  const go = (to: Step): void => advance.mutate(to);
  const restart = (): void => {
    setChosen(undefined);
    setEpisode(undefined);
    advance.reset();
    show({ referral: undefined, client: undefined });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h3">
          Intake
        </Title>
        {(referralId !== undefined || clientId !== undefined) && (
          <Button variant="default" size="xs" onClick={restart}>
            Start another intake
          </Button>
        )}
      </Group>
      <StepProblem title="The referral did not move on" error={advance.error} />
      <Stepper
        active={active}
        onStepClick={(index) => {
          const target = STEPS[index];
          if (target !== undefined) setChosen(target);
        }}
        allowNextStepsSelect={false}
        size="sm"
      >
        <Stepper.Step label="Referral" allowStepSelect={step !== 'done' && active > 0}>
          {referral.data === undefined ? (
            <IntakeStart
              site={site}
              onReceived={(r) => {
                queryClient.setQueryData(['intake', 'referral', r.id], r);
                setChosen('client');
                show({ referral: r.id, client: undefined });
              }}
              onResumeReferral={(r) => {
                setChosen(undefined);
                show({ referral: r.id, client: undefined });
              }}
              onResumeClient={(id) => {
                setChosen(undefined);
                void resumeClient(id);
              }}
              onWithoutReferral={() => setChosen('client')}
            />
          ) : (
            <ReferralSummary referral={referral.data} onContinue={() => setChosen(onwards)} />
          )}
        </Stepper.Step>
        <Stepper.Step label="Client" allowStepSelect={step !== 'done' && active > 1}>
          {client.data === undefined ? (
            <ClientForm
              site={site}
              referralId={referralId}
              onRegistered={(c) => {
                queryClient.setQueryData(['intake', 'client', c.id], c);
                show({ client: c.id });
                go('screenings');
              }}
            />
          ) : (
            <Stack gap="xs">
              <ClientSummary client={client.data} />
              <Group>
                <Button onClick={() => go('screenings')} loading={advance.isPending}>
                  Continue to screenings
                </Button>
              </Group>
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label="Screenings" allowStepSelect={step !== 'done' && active > 2}>
          {clientId !== undefined && (
            <Stack gap="sm">
              <ScreeningResults screenings={screenings.data ?? []} />
              <ScreeningForm clientId={clientId} />
              <Group>
                <Button onClick={() => go('assessment')} loading={advance.isPending}>
                  Continue to assessment
                </Button>
              </Group>
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label="Assessment" allowStepSelect={step !== 'done' && active > 3}>
          {clientId !== undefined && (
            <Stack gap="sm">
              {latest !== undefined && <AssessmentResult assessment={latest} />}
              <AssessmentForm clientId={clientId} />
              {latest !== undefined && (
                <Group>
                  <Button onClick={() => go('admission')} loading={advance.isPending}>
                    Continue to admission
                  </Button>
                </Group>
              )}
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label="Admission">
          {clientId !== undefined && (
            <AdmissionForm
              site={site}
              clientId={clientId}
              referralId={referralId}
              supportedLevel={latest?.recommendedLevel}
              onAdmitted={(e) => {
                setEpisode(e);
                void queryClient.invalidateQueries({ queryKey: ['census'] });
              }}
            />
          )}
        </Stepper.Step>
        <Stepper.Completed>
          {episode !== undefined && (
            <Stack gap="xs" role="status" aria-label="Admitted">
              <Text>
                Admitted at level {episode.clinicalLevel} ({episode.population}) from {episode.admittedOn}.
              </Text>
              <Group>
                <Anchor component={Link} to={`/census?site=${site}`}>
                  Open the census
                </Anchor>
                <Anchor
                  component={Link}
                  to={`/clients/${episode.clientId}?site=${site}&episode=${episode.id}`}
                >
                  Open the chart
                </Anchor>
              </Group>
            </Stack>
          )}
        </Stepper.Completed>
      </Stepper>
    </Stack>
  );
}
