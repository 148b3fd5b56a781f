import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { Redis as RedisClient } from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/free-port.ts';
import { ensureEngines, type Postgres, type Redis, startPostgres, startRedis } from '../../scripts/test-engines.ts';

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Command lines of running PostgreSQL and Redis servers that name `port` (Linux: read from /proc). */
function serversOn(port: number): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')];
      } catch {
        return []; // ended while we looked
      }
    })
    .filter((command) => /postgres|redis-server/.test(command) && new RegExp(`\\b${port}\\b`).test(command));
}

/** Runs `fn` with a client connected to `url`, closing it afterwards. */
async function withPostgres<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Holds `port` on 127.0.0.1 so that a server started on it cannot listen. */
function holdPort(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Connections are dropped at once: Redis' readiness probe connects here, and close() waits for every connection.
    const holder = createServer((socket) => socket.destroy());
    holder.once('error', reject);
    holder.listen(port, '127.0.0.1', () => resolve(holder));
  });
}

const started: { stop(): Promise<void> }[] = [];
async function start<T extends { stop(): Promise<void> }>(engine: Promise<T>): Promise<T> {
  const running = await engine;
  started.push(running);
  return running;
}

let postgres: Postgres;
let redis: Redis;
let redisClient: RedisClient | undefined;

// The first run may install the packages with apt-get: minutes, not seconds.
beforeAll(async () => {
  ensureEngines();
  [postgres, redis] = await Promise.all([start(startPostgres()), start(startRedis())]);
}, 600_000);

afterAll(async () => {
  redisClient?.disconnect();
  await Promise.all(started.map((engine) => engine.stop()));
});

// Tests that start their own servers wait on them like the harness does: up to a minute each on a loaded machine.
describe('test engines', { timeout: 150_000 }, () => {
  it('starts PostgreSQL with a database that answers queries and keeps rows', async () => {
    expect(postgres.url).toBe(`postgresql://postgres@127.0.0.1:${postgres.port}/test`);
    await withPostgres(postgres.url, async (client) => {
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      expect((await client.query('select current_database() as name')).rows).toEqual([{ name: 'test' }]);
      await client.query('create table notes (id serial primary key, body text not null)');
      await client.query('insert into notes (body) values ($1)', ['drift ✓']);
      expect((await client.query('select id, body from notes')).rows).toEqual([{ id: 1, body: 'drift ✓' }]);
    });
  });

  it('starts Redis that answers PING and keeps a value', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    redisClient = new RedisClient(redis.url);
    expect(await redisClient.ping()).toBe('PONG');
    expect(await redisClient.set('greeting', 'hello')).toBe('OK');
    expect(await redisClient.get('greeting')).toBe('hello');
  });

  it('stop() stops each server and removes the PostgreSQL data directory', async () => {
    const [pg, rd] = await Promise.all([start(startPostgres()), start(startRedis())]);
    expect(new Set([pg.port, rd.port, postgres.port, redis.port]).size).toBe(4);
    const dataDirectory = await withPostgres(pg.url, async (client) => {
      return (await client.query<{ data_directory: string }>('show data_directory')).rows[0]!.data_directory;
    });
    expect(existsSync(dataDirectory)).toBe(true);
    expect(await acceptsConnections(pg.port)).toBe(true);
    expect(await acceptsConnections(rd.port)).toBe(true);
    // Contains, not equals: a backend forked for a connection shows the server's command line until it renames itself.
    expect(serversOn(pg.port)).toContainEqual(expect.stringContaining(`/postgres -D ${dataDirectory}`));
    expect(serversOn(rd.port)).toContainEqual(expect.stringContaining(`redis-server 127.0.0.1:${rd.port}`));

    await Promise.all([pg.stop(), rd.stop()]);
    expect(await acceptsConnections(pg.port)).toBe(false);
    expect(await acceptsConnections(rd.port)).toBe(false);
    expect(existsSync(dataDirectory)).toBe(false);
    expect(serversOn(pg.port)).toEqual([]);
    expect(serversOn(rd.port)).toEqual([]);
    // The servers started before are untouched.
    expect(await acceptsConnections(postgres.port)).toBe(true);
    expect(await acceptsConnections(redis.port)).toBe(true);
  });

  it('a failed start says why, with the server log, and leaves nothing running', async () => {
    const port = await freePort();
    const holder = await holdPort(port);
    try {
      await expect(startPostgres({ port })).rejects.toThrow(/PostgreSQL did not start[\s\S]*could not bind/);
      await expect(startRedis({ port })).rejects.toThrow(/Redis did not start[\s\S]*Address already in use/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    expect(serversOn(port)).toEqual([]);
  });
});
