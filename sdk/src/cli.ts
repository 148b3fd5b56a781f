import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { csvRecords } from './csv.ts';
import type { ProducerEvent, WireEvent } from './events.ts';
import { PersonaDrift } from './index.ts';
import { IngestError } from './producer.ts';
import { GraphQLRequestError } from './reader.ts';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  send [FILE|-]              send events from NDJSON (default), CSV (--csv) or a JSON array (--json); - or no FILE reads stdin
  tail                       print alerts as they open, extend or are triaged (--format ndjson|cef|ecs|ocsf)
  export-user USER_ID        print a user's events, oldest first, as NDJSON that 'send' takes back (--summary: risk and verdict)
  import-legacy STORE_JSON   import the original engine's store.json (user id -> events)

Options:
  --url URL      the API (default $PERSONA_DRIFT_URL or http://127.0.0.1:8080)
  --key KEY      an API key (default $PERSONA_DRIFT_KEY)
  --batch N      events per request when sending (default 500, at most 1000)
  --out FILE     write to FILE instead of stdout (export-user)
  --quiet        no progress lines on stderr`;

/** Input and output, so tests can run the CLI in-process. */
export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** Aborts `tail`. */
  signal?: AbortSignal;
}

/** The command line itself is wrong: exit 2 with the usage. */
class UsageError extends Error {}
/** The input is wrong (not JSON, a bad CSV record): exit 1 naming the line. */
class InputError extends Error {}

/** Runs one command; resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const batchSize = values.batch === undefined ? 500 : Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    io.stderr.write(`--batch must be a whole number from 1 to 1000\n\n${USAGE}\n`);
    return 2;
  }
  const client = new PersonaDrift({
    url: values.url ?? io.env.PERSONA_DRIFT_URL ?? 'http://127.0.0.1:8080',
    ...((values.key ?? io.env.PERSONA_DRIFT_KEY) ? { apiKey: values.key ?? io.env.PERSONA_DRIFT_KEY } : {}),
    batchSize,
  });
  const progress = values.quiet ? () => {} : progressLine(io.stderr);
  try {
    switch (command) {
      case 'send':
        return await send(
          client,
          rest[0],
          values.csv ? 'csv' : values.json ? 'json' : 'ndjson',
          batchSize,
          io,
          progress,
        );
      case 'tail':
        return await tail(client, (values.format ?? 'ndjson').toLowerCase(), io);
      case 'export-user':
        if (rest[0] === undefined) throw new UsageError('export-user needs a USER_ID');
        return await exportUser(client, rest[0], values.summary ?? false, values.out, io);
      case 'import-legacy':
        if (rest[0] === undefined) throw new UsageError('import-legacy needs the path of store.json');
        return await importLegacy(client, rest[0], batchSize, progress);
      default:
        throw new UsageError(command === undefined ? 'no command given' : `unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    io.stderr.write(`error: ${describe(error)}\n`);
    return 1;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      batch: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      csv: { type: 'boolean' },
      json: { type: 'boolean' },
      summary: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
}

function describe(error: unknown): string {
  if (error instanceof IngestError) {
    return `${error.message}${error.field ? ` (field ${error.field})` : ''}${error.status ? ` [HTTP ${error.status}]` : ''}`;
  }
  if (error instanceof GraphQLRequestError) return `${error.message}${error.code ? ` [${error.code}]` : ''}`;
  if (error instanceof InputError) return error.message;
  return (error as Error).message ?? String(error);
}

/** What a send has done so far: events sent, and how many of them the API already had. */
interface Sent {
  events: number;
  duplicates: number;
}

/** Prints "sent N events" every two seconds and once at the end, saying how many were already stored. */
function progressLine(stderr: NodeJS.WritableStream) {
  const started = Date.now();
  let last = started;
  let shown = -1;
  return ({ events, duplicates }: Sent, final = false) => {
    const now = Date.now();
    // The last line is not repeated when the last batch was just shown.
    if (final ? shown === events : now - last < 2000) return;
    last = now;
    shown = events;
    const rate = Math.round(events / Math.max(0.001, (now - started) / 1000));
    const known = duplicates > 0 ? `, ${duplicates.toLocaleString('en-US')} of them already stored` : '';
    stderr.write(`sent ${events.toLocaleString('en-US')} events${known} (${rate.toLocaleString('en-US')}/s)\n`);
  };
}

/**
 * An id from the line's text and how many identical lines came before it, so
 * sending the same input again (even with lines added or removed elsewhere)
 * stores nothing twice.
 */
function idMaker(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const digest = bytesToHex(blake3(utf8ToBytes(text))).slice(0, 32);
    const occurrence = seen.get(digest) ?? 0;
    seen.set(digest, occurrence + 1);
    return occurrence === 0 ? `cli-${digest}` : `cli-${digest}-${occurrence}`;
  };
}

async function* lines(file: string | undefined, io: Io): AsyncGenerator<string> {
  const input = file === undefined || file === '-' ? io.stdin : createReadStream(file);
  let first = true;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    // A byte-order mark (spreadsheet exports) is not part of the first column's name.
    yield first ? line.replace(/^\uFEFF/, '') : line;
    first = false;
  }
}

/** Events from the input, each with its line number for errors and ids. */
async function* inputEvents(
  file: string | undefined,
  format: 'ndjson' | 'csv' | 'json',
  io: Io,
): AsyncGenerator<{ event: WireEvent; line: number }> {
  const newId = idMaker();
  if (format === 'json') {
    const text = file === undefined || file === '-' ? await readAll(io.stdin) : readFileSync(file, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InputError('the input is not JSON');
    }
    if (!Array.isArray(parsed)) throw new InputError('--json input must be a JSON array of events');
    for (const [index, item] of parsed.entries()) {
      yield { event: withId(item as WireEvent, JSON.stringify(item), index + 1, newId), line: index + 1 };
    }
    return;
  }
  if (format === 'csv') {
    try {
      for await (const { record, line, text } of csvRecords(lines(file, io))) {
        yield { event: withId(csvEvent(record, line), text, line, newId), line };
      }
    } catch (error) {
      if (error instanceof Error && /^line \d+:/.test(error.message)) throw new InputError(error.message);
      throw error;
    }
    return;
  }
  let line = 0;
  for await (const text of lines(file, io)) {
    line += 1;
    if (text.trim() === '') continue;
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch {
      throw new InputError(`line ${line}: not JSON`);
    }
    yield { event: withId(item as WireEvent, text, line, newId), line };
  }
}

function withId(event: WireEvent, text: string, line: number, newId: (text: string) => string): WireEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InputError(`line ${line}: an event must be a JSON object`);
  }
  return event.event_id === undefined ? { ...event, event_id: newId(text) } : event;
}

const NUMERIC_META = new Set(['asn', 'lat', 'lon']);

/** A CSV row: user_id, kind, timestamp and event_id columns; every other column goes in meta. */
function csvEvent(record: Record<string, string>, line: number): WireEvent {
  const { user_id, kind, timestamp, event_id, ...rest } = record;
  if (!user_id || !kind) throw new InputError(`line ${line}: user_id and kind are required columns`);
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (value === '') continue;
    if (key === 'success') meta[key] = value === 'true' || value === '1';
    else if (NUMERIC_META.has(key) && /^-?\d+(\.\d+)?$/.test(value)) meta[key] = Number(value);
    else meta[key] = value;
  }
  return {
    user_id,
    kind,
    ...(timestamp ? { timestamp } : {}),
    ...(event_id ? { event_id } : {}),
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  } as WireEvent;
}

async function send(
  client: PersonaDrift,
  file: string | undefined,
  format: 'ndjson' | 'csv' | 'json',
  size: number,
  io: Io,
  progress: (sent: Sent, final?: boolean) => void,
): Promise<number> {
  let batch: WireEvent[] = [];
  let lineOf: number[] = [];
  const sent: Sent = { events: 0, duplicates: 0 };
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      sent.duplicates += (await client.sendBatch(batch.map(fromWire))).duplicates;
    } catch (error) {
      if (error instanceof IngestError) throw atLine(error, lineOf);
      throw error;
    }
    sent.events += batch.length;
    progress(sent);
    batch = [];
    lineOf = [];
  };
  for await (const { event, line } of inputEvents(file, format, io)) {
    batch.push(event);
    lineOf.push(line);
    if (batch.length >= size) await flush();
  }
  await flush();
  progress(sent, true);
  return 0;
}

/** An error naming `[i]` of a batch, told as the input line that event came from. */
function atLine(error: IngestError, lineOf: readonly number[]): Error {
  const index = error.field === null ? null : /^\[(\d+)\]/.exec(error.field);
  if (index === null) return error;
  const field = (error.field as string).replace(/^\[\d+\]\.?/, '');
  const message = error.message.replace(/^\[\d+\]\.?/, '');
  return new InputError(
    `line ${lineOf[Number(index[1])] ?? '?'}: ${message} (field ${field}) [HTTP ${error.status}]; ` +
      `the ${lineOf.length} events of its request were not stored, those before them were`,
  );
}

function fromWire(event: WireEvent) {
  return {
    userId: event.user_id,
    kind: event.kind,
    eventId: event.event_id,
    ...(event.timestamp === undefined ? {} : { timestamp: event.timestamp }),
    ...(event.meta === undefined ? {} : { meta: event.meta }),
  };
}

async function tail(client: PersonaDrift, format: string, io: Io): Promise<number> {
  if (!['ndjson', 'cef', 'ecs', 'ocsf'].includes(format)) throw new UsageError(`unknown --format '${format}'`);
  const exportFormat = format === 'ndjson' ? 'ECS' : (format.toUpperCase() as 'CEF' | 'ECS' | 'OCSF');
  for await (const alert of client.alerts(exportFormat, io.signal)) {
    if (format === 'ndjson') {
      const { export: _export, ...change } = alert;
      io.stdout.write(`${JSON.stringify(change)}\n`);
    } else {
      io.stdout.write(`${alert.export}\n`);
    }
  }
  return 0;
}

async function exportUser(
  client: PersonaDrift,
  userId: string,
  summary: boolean,
  out: string | undefined,
  io: Io,
): Promise<number> {
  const output = out === undefined ? io.stdout : createWriteStream(out);
  // A path that cannot be written is an error to report, not a crash.
  if (out !== undefined) await once(output as ReturnType<typeof createWriteStream>, 'open');
  if (summary) {
    const user = await client.user(userId);
    if (user === null) throw new Error(`no user '${userId}'`);
    output.write(`${JSON.stringify(user)}\n`);
  } else {
    let count = 0;
    for await (const event of client.events(userId)) {
      const wire = {
        user_id: userId,
        kind: event.kind,
        timestamp: event.timestamp,
        event_id: event.eventId ?? `stored-${event.id}`,
        meta: event.meta,
      };
      if (!output.write(`${JSON.stringify(wire)}\n`)) await once(output, 'drain');
      count += 1;
    }
    if (count === 0 && (await client.user(userId)) === null) throw new Error(`no user '${userId}'`);
  }
  if (output !== io.stdout) await new Promise<void>((resolve) => (output as NodeJS.WritableStream).end(resolve));
  return 0;
}

/**
 * The original engine's store.json: `{ "<user id>": [ {kind, meta, timestamp}, … ], … }`.
 * Each event's id is its place in the file, so importing twice stores it once.
 */
async function importLegacy(
  client: PersonaDrift,
  path: string,
  size: number,
  progress: (sent: Sent, final?: boolean) => void,
): Promise<number> {
  let store: unknown;
  try {
    store = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`${path}: ${(error as Error).message}`);
  }
  if (typeof store !== 'object' || store === null || Array.isArray(store)) {
    throw new InputError(`${path}: expected an object of user id -> events`);
  }
  let batch: Array<{ event: ProducerEvent; where: string }> = [];
  const sent: Sent = { events: 0, duplicates: 0 };
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      sent.duplicates += (await client.sendBatch(batch.map(({ event }) => event))).duplicates;
    } catch (error) {
      const index = error instanceof IngestError && error.field !== null ? /^\[(\d+)\]/.exec(error.field) : null;
      if (index === null) throw error;
      throw new InputError(
        `${batch[Number(index[1])]?.where ?? '?'}: ${(error as Error).message.replace(/^\[\d+\]\.?/, '')}`,
      );
    }
    sent.events += batch.length;
    progress(sent);
    batch = [];
  };
  for (const [userId, events] of Object.entries(store)) {
    if (!Array.isArray(events)) throw new InputError(`${path}: the events of '${userId}' are not an array`);
    for (const [index, raw] of events.entries()) {
      const event = raw as { kind?: string; meta?: Record<string, unknown>; timestamp?: unknown };
      batch.push({
        where: `user '${userId}', event ${index + 1}`,
        event: {
          userId,
          kind: event.kind ?? 'event',
          eventId: `legacy-${index}`,
          ...(event.timestamp === undefined || event.timestamp === null
            ? {}
            : { timestamp: legacyTime(event.timestamp) }),
          ...(event.meta === undefined ? {} : { meta: event.meta }),
        },
      });
      if (batch.length >= size) await flush();
    }
  }
  await flush();
  progress(sent, true);
  return 0;
}

/** The engine wrote ISO strings or Unix time; seconds (with fractions) become milliseconds. */
function legacyTime(value: unknown): string | number {
  if (typeof value === 'number') return value < 100_000_000_000 ? Math.round(value * 1000) : value;
  return String(value);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
