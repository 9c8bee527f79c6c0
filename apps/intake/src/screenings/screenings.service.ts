import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ScreeningBand, type ScreeningInstrument, UrgentFlag } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import {
  type Actor,
  type Page,
  ProblemException,
  type RecordKind,
  refOf,
  ScopedRecords,
} from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { ClientsService } from '../clients/clients.service';
import { type BandDefinition, bandOf, versionOf } from './band-definitions';
import { INSTRUMENTS, answerProblems, scoreAnswers } from './instruments';
import { type ScreeningListQuery, type ScreeningView, type SubmitScreeningDto } from './screening.dto';

interface ScreeningRow {
  id: string;
  client_id: string;
  site_id: string;
  network_id: string | null;
  instrument: ScreeningInstrument;
  instrument_version: string;
  answers: number[];
  total_score: number;
  band: ScreeningBand;
  band_definition_version: string;
  urgent_flags: UrgentFlag[];
  completed_at: Date;
}

const COLUMNS = `id, client_id, site_id, network_id, instrument, instrument_version, answers, total_score, band,
  band_definition_version, urgent_flags, completed_at`;

const SCREENING: RecordKind<ScreeningRow> = {
  table: 'intake.screenings',
  columns: COLUMNS,
  resourceType: 'screening',
  clientIdOf: (row) => row.client_id,
};

const view = (row: ScreeningRow): ScreeningView => ({
  id: row.id,
  clientId: row.client_id,
  instrument: row.instrument,
  instrumentVersion: row.instrument_version,
  answers: row.answers,
  totalScore: row.total_score,
  band: row.band,
  bandDefinitionVersion: row.band_definition_version,
  urgentFlags: row.urgent_flags,
  completedAt: row.completed_at.toISOString(),
});

/** How far in the future a completion time may lie (clock differences between devices). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Screenings: item answers validated per item, scored, banded by a stored definition, flagged. */
@Injectable()
export class ScreeningsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly clients: ClientsService,
    private readonly clock: Clock,
  ) {}

  private async bandDefinition(
    manager: EntityManager,
    instrument: ScreeningInstrument,
    requested: string | undefined,
  ): Promise<BandDefinition> {
    const [code, version] = requested?.split('@') ?? [];
    const [row] = await manager.query<
      { code: string; version: number; bands: BandDefinition['bands']; severe_bands: ScreeningBand[] }[]
    >(
      requested === undefined
        ? `SELECT code, version, bands, severe_bands FROM intake.screening_band_definitions
            WHERE instrument = $1 AND is_default`
        : `SELECT code, version, bands, severe_bands FROM intake.screening_band_definitions
            WHERE instrument = $1 AND code = $2 AND version = $3`,
      requested === undefined ? [instrument] : [instrument, code, Number(version)],
    );
    if (row === undefined) {
      throw new ProblemException('unprocessable', {
        errors: [
          { field: 'bandDefinition', problems: [`no stored band definition of ${instrument} by that id`] },
        ],
      });
    }
    return {
      code: row.code,
      version: row.version,
      instrument,
      bands: row.bands,
      severeBands: row.severe_bands,
    };
  }

  async submit(actor: Actor, clientId: string, body: SubmitScreeningDto): Promise<ScreeningView> {
    const instrument = INSTRUMENTS[body.instrument];
    const problems = answerProblems(instrument, body.answers);
    if (problems.length > 0) throw new ProblemException('answers-out-of-range', { errors: problems });
    const completedAt = new Date(body.completedAt);
    if (completedAt.getTime() > this.clock.now().getTime() + FUTURE_TOLERANCE_MS) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'completedAt', problems: ['completedAt must not be in the future'] }],
      });
    }
    const { total, flags } = scoreAnswers(instrument, body.answers);
    return this.unitOfWork.run(async (tx) => {
      const client = await this.clients.load(actor, clientId, 'screen', tx.manager);
      const definition = await this.bandDefinition(tx.manager, body.instrument, body.bandDefinition);
      const band = bandOf(definition, total);
      const urgentFlags = definition.severeBands.includes(band)
        ? [...flags, UrgentFlag.SevereWithdrawal]
        : flags;
      const id = randomUUID();
      const [row] = await tx.manager.query<ScreeningRow[]>(
        `INSERT INTO intake.screenings (id, client_id, site_id, network_id, instrument, instrument_version, answers,
           total_score, band, band_definition_version, urgent_flags, completed_at, administered_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
        [
          id,
          clientId,
          client.site_id,
          client.network_id,
          body.instrument,
          instrument.id,
          body.answers,
          total,
          band,
          versionOf(definition),
          urgentFlags,
          completedAt,
          actor.principal.id,
        ],
      );
      if (row === undefined) throw new Error('insert returned nothing');
      // The event carries the result, never the item answers.
      await tx.publish('ScreeningCompleted', {
        screeningId: id,
        clientId,
        siteId: client.site_id,
        instrument: body.instrument,
        totalScore: total,
        band,
        bandDefinitionVersion: versionOf(definition),
        urgentFlags,
        completedAt: completedAt.toISOString(),
      });
      await this.records.audited(actor, 'create', SCREENING, refOf(SCREENING, row), tx.manager);
      return view(row);
    });
  }

  async read(actor: Actor, id: string): Promise<ScreeningView> {
    return view(await this.records.read(actor, SCREENING, id));
  }

  list(actor: Actor, clientId: string, query: ScreeningListQuery): Promise<Page<ScreeningView>> {
    return this.clients.page(actor, clientId, query, { ...SCREENING, view });
  }
}
