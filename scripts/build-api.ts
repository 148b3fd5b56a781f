import { build } from 'esbuild';
import { PROJECT_ROOT as ROOT } from '../api/src/project-root.ts';

/**
 * Bundles the API into one ES module, `dist/api/main.js`, run with plain
 * `node` (no TypeScript loader at run time). Packages stay external and are
 * loaded from node_modules; only our own code and the generated Prisma client
 * are bundled.
 */
await build({
  absWorkingDir: ROOT,
  entryPoints: ['api/src/main.ts'],
  outfile: 'dist/api/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
