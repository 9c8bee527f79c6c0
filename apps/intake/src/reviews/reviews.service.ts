/**
 * The consumer's handlers (reference/intake-event-handlers.ts, being moved to a Nest microservice transport
 * in parallel) inject the review opener under this name and call `open(event, tx)`: the name stays until that
 * work lands, then callers take `OpenReview` directly and this file goes.
 */
export { OpenReview as ReviewsService } from './open-review';
