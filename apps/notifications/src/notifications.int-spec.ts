import { describeServiceMetrics, describeServiceProcess, describeServiceSchema } from '@stepwise/testing';
import { notificationsDatabase } from './notifications.service';

describeServiceSchema('notifications', notificationsDatabase);
describeServiceProcess('notifications');
describeServiceMetrics('notifications');
