import { join } from 'node:path';
import { listRoutes, routeProtectionProblems } from '@stepwise/security';
import { compileService } from '@stepwise/testing';
import { intakeDefinition } from './intake.definition';

describe('intake routes', () => {
  it('each declare a permission or are explicitly public, behind the global security guard', async () => {
    const app = await compileService(intakeDefinition, join(__dirname, '../.env.example'));
    expect(routeProtectionProblems(app)).toEqual([]);
    expect(listRoutes(app).map((r) => r.route)).toEqual(
      expect.arrayContaining([
        'GET /health/live',
        'GET /health/ready',
        'GET /audit/clients/:clientId/entries',
        // The notifications service builds its client against these paths.
        'POST /internal/disclosure-checks',
        'GET /internal/clients/:clientId/contact',
        'GET /internal/clients/:clientId/family-members/:recipientId/contact',
        // The FHIR view for outside systems: outside /v1, its base is /fhir/r4.
        'GET /fhir/r4/Patient/:id',
        'GET /fhir/r4/EpisodeOfCare/:id',
        'GET /fhir/r4/EpisodeOfCare',
        'GET /fhir/r4/Consent/:id',
        'GET /fhir/r4/Consent',
      ]),
    );
  });
});
