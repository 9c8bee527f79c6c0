import { join } from 'node:path';
import { describeServiceConfig } from '@stepwise/testing';
import { SchedulingConfig } from './scheduling.config';

describeServiceConfig('scheduling', SchedulingConfig, join(__dirname, '../../.env.example'));
