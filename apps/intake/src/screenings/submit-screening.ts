import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UrgentFlag } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { CLIENT } from '../clients/clients.repository';
import { bandOf, versionOf } from './band-definitions';
import { INSTRUMENTS, answerProblems, scoreAnswers } from './instruments';
import { type ScreeningView, type SubmitScreeningDto } from './screening.dto';
import { screeningView } from './screening-view';
import { SCREENING, ScreeningsRepository } from './screenings.repository';

/** How far in the future a completion time may lie (clock differences between devices). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Records a client's screening: item answers validated per item, scored, banded by a stored definition and
 * flagged (a severe withdrawal band adds its flag); publishes ScreeningCompleted without the answers.
 */
@Injectable()
export class SubmitScreening {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly screenings: ScreeningsRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, clientId: string, body: SubmitScreeningDto): Promise<ScreeningView> {
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
      const client = await this.records.load(actor, CLIENT, clientId, 'screen', tx.manager);
      const definition = await this.screenings.bandDefinition(
        tx.manager,
        body.instrument,
        body.bandDefinition,
      );
      if (definition === undefined) {
        throw new ProblemException('unprocessable', {
          errors: [
            {
              field: 'bandDefinition',
              problems: [`no stored band definition of ${body.instrument} by that id`],
            },
          ],
        });
      }
      const band = bandOf(definition, total);
      const urgentFlags = definition.severeBands.includes(band)
        ? [...flags, UrgentFlag.SevereWithdrawal]
        : flags;
      const id = randomUUID();
      const row = await this.screenings.insert(tx.manager, {
        id,
        clientId,
        siteId: client.site_id,
        networkId: client.network_id,
        instrument: body.instrument,
        instrumentVersion: instrument.id,
        answers: body.answers,
        totalScore: total,
        band,
        bandDefinitionVersion: versionOf(definition),
        urgentFlags,
        completedAt,
        administeredBy: actor.principal.id,
      });
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
      return screeningView(row);
    });
  }
}
