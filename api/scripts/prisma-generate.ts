// Runs `prisma generate` offline, for each storage engine: the SQLite client
// (with the Pothos types) from prisma/schema.prisma, and the PostgreSQL client
// from the same models with the datasource swapped (a Prisma client works
// only with its schema's provider). The Prisma CLI tries to download its
// native schema engine before every command; generation itself only needs the
// WebAssembly inside the `prisma` package, so pointing the engine variable at
// any existing file lets it proceed without the network.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT as root } from '../src/project-root.ts';
import { schemaFor } from './schema-engine.ts';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');

function generate(schema: string): void {
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schema], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The PostgreSQL client's schema: only its client generator, writing next to the SQLite client. */
function postgresqlSchema(): string {
  const schema = schemaFor('postgresql')
    .replace(/generator pothos \{[^}]*\}\n?/, '')
    .replace(
      'output       = "../api/src/generated/prisma"',
      `output       = "${join(root, 'api/src/generated/prisma-postgresql')}"`,
    );
  if (!schema.includes('prisma-postgresql')) throw new Error('prisma/schema.prisma: the client generator output moved');
  return schema;
}

generate('prisma/schema.prisma');
const dir = mkdtempSync(join(tmpdir(), 'persona-drift-schema-'));
try {
  const schema = join(dir, 'schema.prisma');
  writeFileSync(schema, postgresqlSchema());
  generate(schema);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
