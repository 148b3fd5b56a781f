import { FAMILIES, type Family } from '../../../bench/eval/families.ts';
import { generatePopulation } from '../../../bench/eval/population.ts';
import { type NormalizedEvent, parseLegacyBatch } from '../../src/domain/event-input.ts';
import type { WriteRequest } from '../../src/ingest/write.ts';

/**
 * A generated population of family a (takeovers, stuffing, travel, shared
 * networks), validated as ingest validates it, in requests of 50 events in
 * time order, each received half a second after its newest event: what the
 * tests that compare the storage engines write through each.
 */
export function populationRequests(options: { users: number; days: number; seed: number }): {
  events: NormalizedEvent[];
  requests: WriteRequest[];
} {
  const generated = generatePopulation({ family: FAMILIES.a as Family, ...options });
  const parsed = parseLegacyBatch(generated.events.map((event) => event.body));
  if (!parsed.ok) throw new Error(`population does not validate: ${JSON.stringify(parsed.issues.slice(0, 3))}`);
  const requests: WriteRequest[] = [];
  for (let at = 0; at < parsed.value.length; at += 50) {
    const events = parsed.value.slice(at, at + 50);
    requests.push({ events, receivedAt: Math.max(...events.map((event) => event.timestamp ?? 0)) + 500 });
  }
  return { events: parsed.value, requests };
}
