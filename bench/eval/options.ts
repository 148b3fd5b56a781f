import { parseArgs } from 'node:util';

export interface EvalOptions {
  help: boolean;
  families: string[];
  seeds: number[];
  users: number;
  days: number;
  quick: boolean;
}

const DEFAULTS = { families: ['a', 'b'], seeds: [1, 2, 3], users: 1000, days: 40 };
/** Small enough to iterate on while others share the machine. */
const QUICK = { seeds: [1], users: 300, days: 35 };

/**
 * `npm run eval -- [--family a,b] [--seed 1 | --seeds 1,2,3] [--users N] [--days N] [--quick]`.
 * --quick shrinks what is not given explicitly.
 */
export function parseEvalArgs(args: readonly string[], known: readonly string[]): EvalOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      family: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      users: { type: 'string' },
      days: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const quick = values.quick === true;
  const list = (text: string) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const whole = (name: string, text: string, min: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min)
      throw new Error(`--${name}: expected an integer ≥ ${min}, got ${text}`);
    return value;
  };
  const families = values.family === undefined ? DEFAULTS.families : list(values.family);
  for (const family of families)
    if (!known.includes(family)) throw new Error(`--family: unknown family ${family} (known: ${known.join(', ')})`);
  const seedText = values.seeds ?? values.seed;
  const seeds =
    seedText === undefined ? (quick ? QUICK.seeds : DEFAULTS.seeds) : list(seedText).map((s) => whole('seeds', s, 0));
  const users = values.users === undefined ? (quick ? QUICK.users : DEFAULTS.users) : whole('users', values.users, 10);
  const days = values.days === undefined ? (quick ? QUICK.days : DEFAULTS.days) : whole('days', values.days, 7);
  return { help: values.help === true, families, seeds, users, days, quick };
}

export const USAGE = `npm run eval -- [options]
  --family a,b       population families to generate (default: a,b)
  --seed N           one seed; --seeds 1,2,3 for several (default: 1,2,3)
  --users N          users per family and seed (default: ${DEFAULTS.users})
  --days N           days of history per population (default: ${DEFAULTS.days})
  --quick            ${QUICK.users} users, ${QUICK.days} days, seed ${QUICK.seeds.join(',')} unless given; prints the report, writes nothing
  --help             this text`;
