import { join } from 'node:path';
import {
  describeComposeConfig,
  describeDeployedConfig,
  describeKekVariable,
  describeServiceConfig,
} from '@stepwise/testing';
import { SessionsConfig } from './sessions.config';

const ENV_EXAMPLE = join(__dirname, '../../.env.example');

describeServiceConfig('sessions', SessionsConfig, ENV_EXAMPLE);
describeKekVariable('sessions', SessionsConfig, ENV_EXAMPLE, 'NOTES_KEK');
describeDeployedConfig('sessions', SessionsConfig);
describeComposeConfig('sessions', SessionsConfig);
