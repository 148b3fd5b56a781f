// Runs `prisma generate` offline. The Prisma CLI tries to download its native
// schema engine before every command; generation itself only needs the
// WebAssembly inside the `prisma` package, so pointing the engine variable at
// any existing file lets it proceed without the network.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { PROJECT_ROOT as root } from '../src/project-root.ts';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');

const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
