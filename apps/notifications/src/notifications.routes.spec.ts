import { join } from 'node:path';
import { describeRouteProtection } from '@stepwise/testing';
import { notificationsService } from './notifications.service';

describeRouteProtection(notificationsService, join(__dirname, '../.env.example'));
