import { Alert, Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { type Track, useTracks } from '../reviews/use-tracks';
import { useApi, useClock } from '../shell/api-context';
import { humanize, localDate } from '../today/dates';
import { type AdmissionForm, admissionProblems, type Episode, type Level } from './intake-flow';
import { StepProblem, stepErrors } from './step-errors';

const SHOWN = ['programTrackId', 'primaryCounselorId', 'admittedOn', 'levelOfCare', 'population'];

/** Tracks at the supported level first, then the rest, each by name. */
export function trackChoices(tracks: readonly Track[], level: Level | undefined): Track[] {
  return [...tracks].sort(
    (a, b) =>
      Number(b.levelOfCare === level) - Number(a.levelOfCare === level) || a.name.localeCompare(b.name),
  );
}

/**
 * Admits the client (POST /v1/clients/{id}/admissions) to a track of the site: the track gives the level and the
 * population; the referral, when open, is closed by the admission itself.
 */
export function AdmissionForm({
  site,
  clientId,
  referralId,
  supportedLevel,
  onAdmitted,
}: {
  site: string;
  clientId: string;
  referralId: string | undefined;
  supportedLevel: Level | undefined;
  onAdmitted: (episode: Episode) => void;
}): ReactNode {
  const api = useApi();
  const clock = useClock();
  const tracks = trackChoices(useTracks(site), supportedLevel);
  const [form, setForm] = useState<AdmissionForm>({
    programTrackId: '',
    primaryCounselorId: '',
    admittedOn: localDate(clock()),
  });
  const [local, setLocal] = useState({});
  const track = tracks.find((t) => t.id === form.programTrackId);
  const admit = useMutation({
    mutationFn: async (chosen: Track): Promise<Episode> => {
      const { data } = await api.intake.POST('/v1/clients/{clientId}/admissions', {
        params: { path: { clientId } },
        body: {
          siteId: site,
          programTrackId: chosen.id,
          levelOfCare: chosen.levelOfCare,
          population: chosen.population,
          primaryCounselorId: form.primaryCounselorId.trim().toLowerCase(),
          admittedOn: form.admittedOn,
          ...(referralId === undefined ? {} : { referralId }),
        },
      });
      if (data === undefined) throw new Error('The service answered without the episode.');
      return data;
    },
    onSuccess: onAdmitted,
  });
  const errors = stepErrors(local, admit.error, SHOWN);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const problems = admissionProblems(form);
    setLocal(problems);
    if (Object.keys(problems).length === 0 && track !== undefined) admit.mutate(track);
  };
  return (
    <form onSubmit={submit} aria-label="Admit the client" noValidate>
      <Stack gap="xs">
        <Group align="flex-start">
          <NativeSelect
            label="Program track"
            value={form.programTrackId}
            data={[
              { value: '', label: tracks.length === 0 ? 'No active tracks at this site' : 'Choose a track' },
              ...tracks.map((t) => ({
                value: t.id,
                label: `${t.name} · level ${t.levelOfCare} · ${t.population}`,
              })),
            ]}
            onChange={(e) => setForm({ ...form, programTrackId: e.currentTarget.value })}
            error={
              errors.fields['programTrackId'] ?? errors.fields['levelOfCare'] ?? errors.fields['population']
            }
          />
          <TextInput
            label="Primary counselor (staff id)"
            value={form.primaryCounselorId}
            onChange={(e) => setForm({ ...form, primaryCounselorId: e.currentTarget.value })}
            error={errors.fields['primaryCounselorId']}
            autoComplete="off"
          />
          <TextInput
            label="First day"
            type="date"
            value={form.admittedOn}
            onChange={(e) => setForm({ ...form, admittedOn: e.currentTarget.value })}
            error={errors.fields['admittedOn']}
          />
        </Group>
        {track !== undefined && supportedLevel !== undefined && track.levelOfCare !== supportedLevel && (
          <Alert color="yellow" title="Another level than assessed">
            The assessment supports level {supportedLevel}; this track is level {track.levelOfCare} (
            {humanize(track.modality).toLowerCase()}).
          </Alert>
        )}
        <StepProblem title="The client was not admitted" error={errors.general} />
        <Group>
          <Button type="submit" loading={admit.isPending}>
            Admit
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
