import { join } from 'node:path';
import { describeRouteProtection } from '@stepwise/testing';
import { sessionsService } from './sessions.service';

describeRouteProtection(sessionsService, join(__dirname, '../.env.example'));
