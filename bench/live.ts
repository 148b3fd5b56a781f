import { setTimeout as sleep } from 'node:timers/promises';
import { authHeaders } from './processes.ts';

/**
 * Live delivery: `subscribers` SSE subscriptions to `eventIngested`, a producer
 * posting `rate` events/s over REST. Latency is from just before the POST to
 * the subscriber reading the event, so it bounds commit → subscriber from above.
 */
export interface LiveResult {
  subscribers: number;
  events: number;
  p50: number;
  p99: number;
  max: number;
  missed: number;
}

/** Where the producer posts and the subscribers listen: one node, or two nodes of a cluster. */
export interface LiveUrls {
  ingest: string;
  subscribe: string;
}

const SUBSCRIPTION = 'subscription Live { eventIngested { eventId } }';

interface Subscriber {
  received: Set<string>;
  ready: Promise<void>;
  abort: AbortController;
}

function subscribe(baseUrl: string, onEvent: (eventId: string) => void): Subscriber {
  const abort = new AbortController();
  const received = new Set<string>();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  void (async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...authHeaders() },
      body: JSON.stringify({ query: SUBSCRIPTION }),
      signal: abort.signal,
    });
    markReady();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message
          .split('\n')
          .find((line) => line.startsWith('data:'))
          ?.slice(5);
        if (data !== undefined && data.trim() !== '') {
          const eventId = (JSON.parse(data) as { data?: { eventIngested?: { eventId?: string } } }).data?.eventIngested
            ?.eventId;
          if (eventId !== undefined) {
            received.add(eventId);
            onEvent(eventId);
          }
        }
        end = buffer.indexOf('\n\n');
      }
    }
  })().catch(() => markReady());
  return { received, ready, abort };
}

export async function measureLive(
  urls: LiveUrls,
  subscribers: number,
  rate: number,
  seconds: number,
  makeEvent: (eventId: string) => unknown,
): Promise<LiveResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const onEvent = (eventId: string) => {
    const at = sentAt.get(eventId);
    if (at !== undefined) latencies.push(performance.now() - at);
  };
  const subs = Array.from({ length: subscribers }, () => subscribe(urls.subscribe, onEvent));
  await Promise.all(subs.map((s) => s.ready));
  await sleep(500); // let every subscription reach the pubsub

  const total = rate * seconds;
  const started = performance.now();
  const posts: Promise<void>[] = [];
  for (let n = 0; n < total; n += 1) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const eventId = `live-${n}`;
    sentAt.set(eventId, performance.now());
    posts.push(
      fetch(`${urls.ingest}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify(makeEvent(eventId)),
      }).then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`live ingest answered ${response.status}`);
      }),
    );
  }
  await Promise.all(posts);
  await sleep(1000); // stragglers
  for (const s of subs) s.abort.abort();

  let missed = 0;
  for (const s of subs) for (const eventId of sentAt.keys()) if (!s.received.has(eventId)) missed += 1;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { subscribers, events: total, p50: at(0.5), p99: at(0.99), max: at(1), missed };
}
