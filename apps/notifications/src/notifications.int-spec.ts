import { describeServiceMetrics, describeServiceProcess, describeServiceSchema } from '@stepwise/testing';
import { notificationsDatabase } from './notifications.database';

describeServiceSchema('notifications', notificationsDatabase);
describeServiceProcess('notifications');
describeServiceMetrics('notifications');
