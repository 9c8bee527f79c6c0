import { Injectable } from '@nestjs/common';
import { type Actor, type Page, ScopedRecords } from '@stepwise/security';
import { listOfClient } from '../clients/list-of-client';
import { type AssessmentListQuery, type AssessmentView } from './assessment.dto';
import { assessmentView } from './assessment-view';
import { ASSESSMENT, AssessmentsRepository } from './assessments.repository';

/** A page of the client's assessments, oldest first; the listing is audited against the client. */
@Injectable()
export class ListAssessments {
  constructor(
    private readonly records: ScopedRecords,
    private readonly assessments: AssessmentsRepository,
  ) {}

  execute(actor: Actor, clientId: string, query: AssessmentListQuery): Promise<Page<AssessmentView>> {
    return listOfClient(this.records, actor, clientId, ASSESSMENT, () =>
      this.assessments.page(clientId, query, assessmentView),
    );
  }
}
