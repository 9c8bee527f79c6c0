import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { type AssessmentView } from './assessment.dto';
import { assessmentView } from './assessment-view';
import { ASSESSMENT } from './assessments.repository';

/** Shows one assessment; the read is audited. */
@Injectable()
export class ReadAssessment {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, id: string): Promise<AssessmentView> {
    return assessmentView(await this.records.read(actor, ASSESSMENT, id));
  }
}
