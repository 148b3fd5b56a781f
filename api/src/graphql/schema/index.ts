import { builder } from '../builder.ts';
import './errors.ts';
import './event.ts';
import './user.ts';
import './drift.ts';
import './fingerprint.ts';
import './risk.ts';
import './verdict.ts';
import './assessment.ts';
import './alert.ts';
import './access.ts';
import './adjustments.ts';

export const schema = builder.toSchema();
