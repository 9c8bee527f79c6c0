import { type Actor, ProblemException, type ScopedRecords } from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { ReviewStatus } from './review.dto';
import { REVIEW, type ReviewRow } from './reviews.repository';

/** Loads (locked) a review the caller may decide: 404 as any record, 409 once it has been decided. */
export async function loadDecidable(
  records: ScopedRecords,
  actor: Actor,
  id: string,
  action: string,
  manager: EntityManager,
): Promise<ReviewRow> {
  const review = await records.load(actor, REVIEW, id, action, manager);
  if (review.status !== ReviewStatus.Open) {
    throw new ProblemException('invalid-transition', { detail: `The review is already ${review.status}` });
  }
  return review;
}
