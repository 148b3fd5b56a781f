// `npm run keys -- <command>`: API key management on the database the API uses
// (DATABASE_URL: the SQLite file or the PostgreSQL database), with or without
// the API running.
//   create --role producer|analyst|admin [--name <text>]   prints the key once
//   list                                                  prefix, role, created, last used, revoked
//   revoke <id | prefix>
import { parseArgs } from 'node:util';
import pg from 'pg';
import { isPostgresUrl, loadConfig } from '../src/config.ts';
import { isRole, ROLES } from '../src/domain/api-key.ts';
import { KeyStore } from '../src/storage/key-store.ts';
import type { ApiKeys } from '../src/storage/ports.ts';
import { PostgresKeyStore } from '../src/storage/postgres/key-store.ts';
import { applyPostgresMigrations } from '../src/storage/postgres/migrations.ts';
import { databasePath, openMigratedDatabase } from '../src/storage/sqlite.ts';

const USAGE = `usage: npm run keys -- create --role <${ROLES.join('|')}> [--name <text>]
       npm run keys -- list
       npm run keys -- revoke <id | prefix>`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const { positionals, values } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { role: { type: 'string' }, name: { type: 'string' } },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const [command, target, ...extra] = positionals;
if (extra.length > 0) fail(`unexpected arguments: ${extra.join(' ')}`);

const databaseUrl = loadConfig().databaseUrl;
const { keys, close } = await (async (): Promise<{ keys: ApiKeys; close: () => Promise<void> }> => {
  if (!isPostgresUrl(databaseUrl)) {
    const db = openMigratedDatabase(databasePath(databaseUrl));
    return {
      keys: new KeyStore(db),
      close: async () => {
        db.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await applyPostgresMigrations(pool);
  const store = await PostgresKeyStore.open(pool);
  return {
    keys: store,
    close: async () => {
      store.stop();
      await pool.end();
    },
  };
})();
const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString());

switch (command) {
  case 'create': {
    const role = values.role;
    if (role === undefined || !isRole(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
    const name = values.name?.trim() || null;
    const { key, record } = await keys.create(role, name, 'cli');
    process.stderr.write(`created key ${record.id} (${record.prefix}…), role ${record.role}. It is shown only now:\n`);
    process.stdout.write(`${key}\n`);
    break;
  }
  case 'list': {
    const rows = await keys.list();
    if (rows.length === 0) process.stdout.write('no keys: the API runs open on loopback addresses only\n');
    for (const k of rows) {
      process.stdout.write(
        `${String(k.id).padStart(4)}  ${k.prefix}…  ${k.role.padEnd(8)}  created ${when(k.createdAt)}  last used ${when(k.lastUsedAt)}` +
          `${k.revokedAt === null ? '' : `  REVOKED ${when(k.revokedAt)}`}${k.name === null ? '' : `  ${k.name}`}\n`,
      );
    }
    break;
  }
  case 'revoke': {
    if (target === undefined) fail('revoke needs a key id or prefix');
    const found = /^\d+$/.test(target)
      ? keys.get(Number(target))
      : ((await keys.list()).find((k) => k.prefix === target.replace(/…$/, '')) ?? null);
    if (found === null) fail(`no key ${target}`);
    const revoked = await keys.revoke(found.id, 'cli');
    process.stdout.write(`revoked key ${revoked?.id} (${revoked?.prefix}…, ${revoked?.role})\n`);
    break;
  }
  default:
    fail(command === undefined ? 'no command' : `unknown command '${command}'`);
}
await close();
