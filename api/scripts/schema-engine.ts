// Prisma's schema engine, compiled to WebAssembly, driven without the Prisma CLI
// (which cannot fetch its native engine offline). Used to write migrations and
// to check that prisma/schema.prisma has none pending.
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
export function latestSnapshot(): string | null {
  if (!existsSync(migrationsDir)) return null;
  const dirs = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const last = dirs.at(-1);
  if (last === undefined) return null;
  const snapshot = join(migrationsDir, last, snapshotName);
  if (!existsSync(snapshot)) throw new Error(`prisma/migrations/${last} has no ${snapshotName} snapshot`);
  return readFileSync(snapshot, 'utf8');
}

/** The SQL that takes a database from schema `from` (null: empty) to schema `to`; '' when there is nothing to do. */
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
