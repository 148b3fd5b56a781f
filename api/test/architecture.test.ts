import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/process.ts';

/**
 * Imports between api/src's folders go one way, inner to outer:
 * domain (pure) ← storage, cluster (Redis) ← services, reads, ingest ← http ←
 * graphql ← the entry files (server.ts, main.ts, config.ts). Shared leaves (logger,
 * version, the project root, the generated Prisma client) serve every layer
 * but the domain, which depends on nothing of ours outside itself.
 */
const LAYERS: Record<string, number> = {
  domain: 0,
  storage: 1,
  cluster: 1,
  services: 2,
  reads: 2,
  ingest: 2,
  http: 3,
  graphql: 4,
  entry: 5,
  // How the entry files open each storage engine.
  engines: 5,
};
const LEAVES = new Set(['logger.ts', 'version.ts', 'project-root.ts', 'generated']);
const ENTRY = new Set(['server.ts', 'main.ts', 'config.ts']);

const SRC = join(ROOT, 'api/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The folder (or leaf) of api/src a path is in. */
function areaOf(path: string): string {
  const top = relative(SRC, path).split(/[\\/]/)[0] ?? '';
  if (ENTRY.has(top)) return 'entry';
  return top;
}

/** Relative imports of a file, static and dynamic, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    if (match[1] !== undefined) found.push(resolve(dirname(file), match[1]));
  }
  return found;
}

const files = sourceFiles(SRC);

describe('architecture', () => {
  it('finds the source files and their folders', () => {
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const area = areaOf(file);
      expect(LAYERS[area] !== undefined || LEAVES.has(area), `${relative(SRC, file)} is in no known layer`).toBe(true);
    }
  });

  it('imports only inward: no folder imports one outside it', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = areaOf(file);
      for (const target of importsOf(file)) {
        const to = areaOf(target);
        if (to === from) continue;
        const allowed =
          from === 'domain'
            ? false
            : LEAVES.has(to) || (LEAVES.has(from) ? false : (LAYERS[to] ?? 99) <= (LAYERS[from] ?? -1));
        if (!allowed) wrong.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps SQLite behind storage: only storage/ and the engines import better-sqlite3 or storage/sqlite.ts', () => {
    const sqlite = join(SRC, 'storage', 'sqlite.ts');
    const driver = /['"](?:@prisma\/adapter-)?better-sqlite3['"]/;
    const wrong = files
      .filter((file) => !['storage', 'engines', 'entry'].includes(areaOf(file)))
      .filter((file) => importsOf(file).includes(sqlite) || driver.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(wrong).toEqual([]);
    // The rule sees the files that do import them.
    expect(importsOf(join(SRC, 'engines', 'sqlite-engine.ts'))).toContain(sqlite);
  });
});
