import { describeServiceMetrics, describeServiceProcess, describeServiceSchema } from '@stepwise/testing';
import { schedulingDatabase } from './scheduling.service';

describeServiceSchema('scheduling', schedulingDatabase);
describeServiceProcess('scheduling');
describeServiceMetrics('scheduling');
