import { join } from 'node:path';
import { describeComposeConfig, describeDeployedConfig, describeServiceConfig } from '@stepwise/testing';
import { SchedulingConfig } from './scheduling.config';

describeServiceConfig('scheduling', SchedulingConfig, join(__dirname, '../../.env.example'));
describeDeployedConfig('scheduling', SchedulingConfig);
describeComposeConfig('scheduling', SchedulingConfig);
