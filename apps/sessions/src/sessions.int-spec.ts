import { describeServiceMetrics, describeServiceProcess, describeServiceSchema } from '@stepwise/testing';
import { sessionsDatabase } from './sessions.database';

describeServiceSchema('sessions', sessionsDatabase);
describeServiceProcess('sessions');
describeServiceMetrics('sessions');
