import { join } from 'node:path';
import { describeKekVariable, describeServiceConfig } from '@stepwise/testing';
import { IntakeConfig } from './intake.config';

const ENV_EXAMPLE = join(__dirname, '../../.env.example');

describeServiceConfig('intake', IntakeConfig, ENV_EXAMPLE);
describeKekVariable('intake', IntakeConfig, ENV_EXAMPLE, 'PHI_KEK');
