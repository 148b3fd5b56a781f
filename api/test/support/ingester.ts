// A producer that ingests until it is killed: `node --import tsx ingester.ts <url> <seed>`.
// Each request carries 1–20 events with unique event ids over 40 users, on a
// few devices, browsers and networks, some timestamps late; after every 2xx it
// prints the acknowledged ids as one JSON line on stdout.
import { seededRandom } from '../../../scripts/seeded-random.ts';

const [url = '', seed = '1'] = process.argv.slice(2);
const random = seededRandom(Number(seed));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const DEVICES = ['laptop', 'phone', 'tablet'];
const BROWSERS = ['chrome', 'firefox', 'safari'];
const SYSTEMS = ['windows', 'ios', 'linux'];
const START = Date.UTC(2026, 0, 1);

let next = 0;
function event() {
  next += 1;
  return {
    user_id: `user${Math.floor(random() * 40)}`,
    kind: pick(['login', 'logout', 'purchase']),
    event_id: `${seed}-${next}`,
    // Mostly in order, sometimes hours late.
    timestamp: START + next * 60_000 - (random() < 0.1 ? Math.floor(random() * 6) * 3_600_000 : 0),
    meta: {
      device: pick(DEVICES),
      browser: pick(BROWSERS),
      os: pick(SYSTEMS),
      ip: `${pick([12, 81, 98])}.${Math.floor(random() * 3)}.${Math.floor(random() * 200)}.7`,
    },
  };
}

async function producer(): Promise<void> {
  for (;;) {
    const batch = Array.from({ length: random() < 0.5 ? 1 : 1 + Math.floor(random() * 20) }, event);
    try {
      const res = await fetch(`${url}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch.length === 1 ? batch[0] : batch),
      });
      await res.arrayBuffer();
      if (res.ok) process.stdout.write(`${JSON.stringify(batch.map((e) => e.event_id))}\n`);
    } catch {
      // The server is gone: keep trying until this process is stopped.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

await Promise.all(Array.from({ length: 6 }, producer));
