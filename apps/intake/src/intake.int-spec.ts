import { describeServiceMetrics, describeServiceProcess, describeServiceSchema } from '@stepwise/testing';
import { intakeDatabase } from './intake.service';

describeServiceSchema('intake', intakeDatabase);
describeServiceProcess('intake');
describeServiceMetrics('intake');
