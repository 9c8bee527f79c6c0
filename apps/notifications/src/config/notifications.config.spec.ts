import { join } from 'node:path';
import { describeDeployedConfig, describeServiceConfig } from '@stepwise/testing';
import { NotificationsConfig } from './notifications.config';

describeServiceConfig('notifications', NotificationsConfig, join(__dirname, '../../.env.example'));
describeDeployedConfig('notifications', NotificationsConfig);
