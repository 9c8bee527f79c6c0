import { describeServiceMetrics, describeServiceProcess, describeServiceSchema } from '@stepwise/testing';
import { sessionsDatabase } from './sessions.service';

describeServiceSchema('sessions', sessionsDatabase);
describeServiceProcess('sessions');
describeServiceMetrics('sessions');
