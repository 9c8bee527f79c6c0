import { join } from 'node:path';
import { describeServiceConfig } from '@stepwise/testing';
import { IntakeConfig } from './intake.config';

describeServiceConfig('intake', IntakeConfig, join(__dirname, '../../.env.example'));
