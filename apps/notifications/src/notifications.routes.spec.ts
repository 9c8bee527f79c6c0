import { join } from 'node:path';
import { listRoutes, routeProtectionProblems } from '@stepwise/security';
import { compileService } from '@stepwise/testing';
import { notificationsDefinition } from './notifications.definition';

describe('notifications routes', () => {
  it('each declare a permission or are explicitly public, behind the global security guard', async () => {
    const app = await compileService(notificationsDefinition, join(__dirname, '../.env.example'));
    expect(routeProtectionProblems(app)).toEqual([]);
    expect(listRoutes(app).map((r) => r.route)).toEqual(
      expect.arrayContaining([
        'GET /health/live',
        'GET /health/ready',
        'GET /audit/clients/:clientId/entries',
        'PUT /recipients/:recipientId/preferences',
        'GET /recipients/:recipientId/preferences',
        'POST /alerts/:alertId/acknowledgements',
        'POST /webhook-subscriptions',
        'GET /webhook-subscriptions',
        'POST /webhook-subscriptions/:subscriptionId/secret-rotations',
        'POST /webhook-subscriptions/:subscriptionId/enable',
        'POST /webhook-subscriptions/:subscriptionId/replays',
        'DELETE /webhook-subscriptions/:subscriptionId',
        'GET /webhook-subscriptions/:subscriptionId/deliveries',
        'GET /clients/:clientId/disclosures',
      ]),
    );
  });
});
