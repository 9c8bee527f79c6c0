import { join } from 'node:path';
import { listRoutes, routeProtectionProblems } from '@stepwise/security';
import { compileService } from '@stepwise/testing';
import { sessionsDefinition } from './sessions.definition';

describe('sessions routes', () => {
  it('each declare a permission or are explicitly public, behind the global security guard', async () => {
    const app = await compileService(sessionsDefinition, join(__dirname, '../.env.example'));
    expect(routeProtectionProblems(app)).toEqual([]);
    expect(listRoutes(app).map((r) => r.route)).toEqual(
      expect.arrayContaining([
        'GET /health/live',
        'GET /health/ready',
        'GET /audit/clients/:clientId/entries',
        'PUT /occurrences/:occurrenceId/attendance',
        'POST /drug-screens',
        'POST /notes',
        'POST /notes/:noteId/cosignature',
        'GET /sites/:siteId/billable-days',
      ]),
    );
  });
});
