// Prisma's schema engine, compiled to WebAssembly, driven without the Prisma CLI
// (which cannot fetch its native engine offline). Used to write migrations and
// to check that prisma/schema.prisma has none pending, for each storage engine:
// one schema, one migration history per engine.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PROJECT_ROOT as root } from '../src/project-root.ts';

export const schemaPath = join(root, 'prisma/schema.prisma');
export const migrationsDir = join(root, 'prisma/migrations');
/** Each migration folder keeps a copy of the schema it migrates to. */
export const snapshotName = 'schema.prisma';

export type Provider = 'sqlite' | 'postgresql';

/** Where each engine's migration history lives (the API applies it at start). */
export const MIGRATION_DIRS: Readonly<Record<Provider, string>> = {
  sqlite: migrationsDir,
  postgresql: join(root, 'prisma/migrations-postgresql'),
};

const PROVIDER_LINE = 'provider = "sqlite"';

/**
 * prisma/schema.prisma (written for SQLite, the default engine) as the schema
 * of `provider`: the models are the same on every engine, only the datasource differs.
 */
export function schemaFor(provider: Provider, schema: string = readFileSync(schemaPath, 'utf8')): string {
  if (provider === 'sqlite') return schema;
  if (!schema.includes(PROVIDER_LINE))
    throw new Error(`prisma/schema.prisma has no \`${PROVIDER_LINE}\` datasource line`);
  return schema.replace(PROVIDER_LINE, `provider = "${provider}"`);
}

let engineClass: Promise<typeof glue.SchemaEngine> | undefined;

// The package's ESM entry imports the .wasm file directly, which Node 20 only
// allows behind a flag; instantiating the bytes here works on every version.
function loadSchemaEngine(): Promise<typeof glue.SchemaEngine> {
  engineClass ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = join(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'), '../schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue.SchemaEngine;
  })();
  return engineClass;
}

/**
 * The schema of the newest migration, or null when there is none. Migrations
 * are diffed schema-to-schema against it: the WebAssembly engine cannot open a
 * shadow database for SQLite, which replaying the SQL history would need.
 */
export function latestSnapshot(dir: string = migrationsDir): string | null {
  if (!existsSync(dir)) return null;
  const dirs = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const last = dirs.at(-1);
  if (last === undefined) return null;
  const snapshot = join(dir, last, snapshotName);
  if (!existsSync(snapshot)) throw new Error(`${join(dir, last)} has no ${snapshotName} snapshot`);
  return readFileSync(snapshot, 'utf8');
}

/**
 * The SQL that takes a database from schema `from` (null: empty) to schema
 * `to`; '' when there is nothing to do. The dialect is the schemas'
 * datasource provider: a diff between two schemas never opens a database, so
 * the SQLite adapter serves every engine.
 */
export async function diffSchemas(from: string | null, to: string): Promise<string> {
  const SchemaEngine = await loadSchemaEngine();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url: ':memory:' }));
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, to]] }, () => {}, adapter);
  try {
    const { stdout } = await engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: to }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const script = stdout ?? '';
    return script.trim() === '-- This is an empty migration.' ? '' : script.trim() === '' ? '' : script;
  } finally {
    engine.free();
  }
}
