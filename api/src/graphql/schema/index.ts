import { builder } from '../builder.ts';
import './errors.ts';
import './event.ts';
import './user.ts';
import './drift.ts';
import './fingerprint.ts';

export const schema = builder.toSchema();
