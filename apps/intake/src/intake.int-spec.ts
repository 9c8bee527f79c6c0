import { describeServiceMetrics, describeServiceProcess, describeServiceSchema } from '@stepwise/testing';
import { intakeDatabase } from './intake.database';

describeServiceSchema('intake', intakeDatabase);
describeServiceProcess('intake');
describeServiceMetrics('intake');
