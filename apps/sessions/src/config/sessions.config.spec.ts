import { join } from 'node:path';
import { describeServiceConfig } from '@stepwise/testing';
import { SessionsConfig } from './sessions.config';

describeServiceConfig('sessions', SessionsConfig, join(__dirname, '../../.env.example'));
