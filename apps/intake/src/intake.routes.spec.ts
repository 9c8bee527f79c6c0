import { join } from 'node:path';
import { describeRouteProtection } from '@stepwise/testing';
import { intakeService } from './intake.service';

describeRouteProtection(intakeService, join(__dirname, '../.env.example'));
