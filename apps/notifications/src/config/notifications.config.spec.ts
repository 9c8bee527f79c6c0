import { join } from 'node:path';
import { describeServiceConfig } from '@stepwise/testing';
import { NotificationsConfig } from './notifications.config';

describeServiceConfig('notifications', NotificationsConfig, join(__dirname, '../../.env.example'));
