// `npm run seed`: loads a realistic demo data set through the public REST API,
// so a new installation has a living dashboard in a minute. Deterministic
// (seeded); re-running it adds nothing, because every event carries an event_id.
//
//   API_URL=http://127.0.0.1:8080/graphql npm run seed   (the dashboard's API_URL; REST is beside it)
import { parseArgs } from 'node:util';
import { demoEvents } from './demo-data.ts';

const { values } = parseArgs({
  options: { users: { type: 'string', default: '48' }, days: { type: 'string', default: '30' } },
});
// API_URL names the GraphQL endpoint, as it does for the dashboard; the REST routes are at its root.
const graphqlUrl = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT || '8080'}/graphql`;
const apiUrl = graphqlUrl.replace(/\/graphql\/?$/, '').replace(/\/$/, '');
const userCount = Number(values.users);
const days = Number(values.days);

const events = demoEvents(userCount, days, Date.now());

async function waitForApi(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${apiUrl}/health`)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the API at ${apiUrl} did not answer /health within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

await waitForApi();
let stored = 0;
for (let i = 0; i < events.length; i += 500) {
  const batch = events.slice(i, i + 500);
  const res = await fetch(`${apiUrl}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(batch),
  });
  if (!res.ok) throw new Error(`POST /ingest answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { count: number; duplicates?: number };
  stored += body.count - (body.duplicates ?? 0);
}
process.stdout.write(`Seeded ${userCount} users: ${stored} new events of ${events.length} (${apiUrl}).\n`);
