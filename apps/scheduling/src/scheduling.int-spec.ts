import { describeServiceMetrics, describeServiceProcess, describeServiceSchema } from '@stepwise/testing';
import { schedulingDatabase } from './scheduling.database';

describeServiceSchema('scheduling', schedulingDatabase);
describeServiceProcess('scheduling');
describeServiceMetrics('scheduling');
