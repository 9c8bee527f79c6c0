import { join } from 'node:path';
import { listRoutes, routeProtectionProblems } from '@stepwise/security';
import { compileService } from '@stepwise/testing';
import { schedulingDefinition } from './scheduling.definition';

describe('scheduling routes', () => {
  it('each declare a permission or are explicitly public, behind the global security guard', async () => {
    const app = await compileService(schedulingDefinition, join(__dirname, '../.env.example'));
    expect(routeProtectionProblems(app)).toEqual([]);
    expect(listRoutes(app).map((r) => r.route)).toEqual(
      expect.arrayContaining([
        'GET /health/live',
        'GET /health/ready',
        'GET /audit/clients/:clientId/entries',
        'PUT /sites/:siteId',
        'POST /sites/:siteId/tracks',
        'POST /staff',
        // The notifications service builds against exactly this path.
        'GET /internal/staff/:staffId/contact',
        'POST /sites/:siteId/group-series',
        'GET /group-series/:seriesId/capacity',
        'GET /sites/:siteId/calendar',
        'GET /staff/:staffId/calendar',
        'GET /clients/:clientId/calendar',
        'GET /occurrences/:occurrenceId/roster',
        'POST /sites/:siteId/appointments',
        'POST /appointments/:appointmentId/reschedule',
        'POST /appointments/:appointmentId/cancel',
      ]),
    );
  });
});
