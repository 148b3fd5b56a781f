/**
 * Counters and histograms kept in memory and served at GET /metrics in the
 * Prometheus text format (version 0.0.4). No client library: a few maps of
 * numbers are all the API needs, and they cost next to nothing per request.
 */

/** Request durations, in seconds: fine below 100 ms, where ingest answers. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = Record<string, string>;

/** A gauge's reading: one number, or one per set of labels. */
export type GaugeReading = number | ReadonlyArray<{ labels: Labels; value: number }>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([name, value]) => `${name}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`,
  );
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

class Counter {
  readonly #values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.#values.get(key);
    if (entry === undefined) this.#values.set(key, { labels, value: by });
    else entry.value += by;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, { value }] of this.#values) lines.push(`${this.name}${key} ${value}`);
    return lines;
  }
}

class Histogram {
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { labels, counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    for (let i = 0; i < this.buckets.length; i++)
      if (value <= (this.buckets[i] as number)) (series.counts[i] as number)++;
    series.sum += value;
    series.count += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.#series.values()) {
      this.buckets.forEach((bound, i) => {
        lines.push(`${this.name}_bucket${labelText({ ...labels, le: String(bound) })} ${counts[i]}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${sum}`);
      lines.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines;
  }
}

export class Metrics {
  readonly requests = new Counter(
    'persona_drift_http_requests_total',
    'HTTP requests answered, by route, method and status.',
  );
  readonly durations = new Histogram(
    'persona_drift_http_request_duration_seconds',
    'Time from a request arriving to its answer being sent, by route.',
    DURATION_BUCKETS,
  );
  readonly rejected = new Counter(
    'persona_drift_requests_rejected_total',
    'Requests refused, by reason (the error code in the answer: invalid_field, unauthorized, rate_limited, overloaded, …).',
  );
  readonly eventsStored = new Counter('persona_drift_events_stored_total', 'Events stored (REST and GraphQL).');
  readonly eventsDuplicate = new Counter(
    'persona_drift_events_duplicate_total',
    'Events skipped because their event_id was already stored.',
  );
  readonly alerts = new Counter('persona_drift_alerts_total', 'Alerts opened or extended by new events, by change.');
  readonly #started = Date.now();
  readonly #watched: Array<{ name: string; help: string; read: () => GaugeReading }> = [];

  /** A gauge read when the metrics are served (requests in flight, open streams, subscriptions per topic). */
  watch(name: string, help: string, read: () => GaugeReading): void {
    this.#watched.push({ name, help, read });
  }

  render(): string {
    const memory = process.memoryUsage();
    const gauges: Array<readonly [string, string, GaugeReading]> = [
      ['persona_drift_process_resident_memory_bytes', 'Resident memory of the API process.', memory.rss],
      ['persona_drift_process_heap_used_bytes', 'V8 heap in use.', memory.heapUsed],
      ['persona_drift_uptime_seconds', 'Seconds since the API started.', (Date.now() - this.#started) / 1000],
      ...this.#watched.map(({ name, help, read }) => [name, help, read()] as const),
    ];
    const lines = [
      ...this.requests.render(),
      ...this.durations.render(),
      ...this.rejected.render(),
      ...this.eventsStored.render(),
      ...this.eventsDuplicate.render(),
      ...this.alerts.render(),
      ...gauges.flatMap(([name, help, reading]) => [
        `# HELP ${name} ${help}`,
        `# TYPE ${name} gauge`,
        ...(typeof reading === 'number'
          ? [`${name} ${reading}`]
          : reading.map(({ labels, value }) => `${name}${labelText(labels)} ${value}`)),
      ]),
    ];
    return `${lines.join('\n')}\n`;
  }
}
