// `npm run backup -- <file>`: an online backup of the database (DATABASE_URL)
// to <file>, safe while the API runs and ingests: SQLite's backup API copies a
// consistent snapshot page by page without stopping writers for long.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config.ts';
import { databasePath } from '../src/storage/sqlite.ts';

const [target] = process.argv.slice(2);
if (target === undefined) {
  process.stderr.write('usage: npm run backup -- <backup file>\n');
  process.exit(2);
}
const destination = resolve(target);
if (existsSync(destination)) {
  process.stderr.write(`${destination} exists: choose a new file\n`);
  process.exit(2);
}
const source = databasePath(loadConfig().databaseUrl);
const db = new Database(source, { fileMustExist: true, timeout: 5000 });
const started = Date.now();
await db.backup(destination);
db.close();
const copy = new Database(destination, { readonly: true });
const check = copy.pragma('integrity_check', { simple: true });
const events = (copy.prepare('SELECT count(*) AS n FROM "Event"').get() as { n: number }).n;
copy.close();
if (check !== 'ok') {
  process.stderr.write(`backup written but integrity_check says: ${String(check)}\n`);
  process.exit(1);
}
process.stdout.write(
  `backed up ${source} to ${destination}: ${events} events, integrity ok, ${Date.now() - started} ms\n`,
);
