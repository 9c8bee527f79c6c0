import { join } from 'node:path';
import { describeRouteProtection } from '@stepwise/testing';
import { schedulingService } from './scheduling.service';

describeRouteProtection(schedulingService, join(__dirname, '../.env.example'));
