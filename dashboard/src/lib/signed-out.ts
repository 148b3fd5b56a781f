import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Sessions signed out before their cookie expired. A sealed cookie stays
 * valid wherever a copy of it is (a shared machine, a proxy log, a stolen
 * backup) until it expires, so signing out records the session's id here and
 * every later use of it is refused. Each id is kept until its session would
 * have expired anyway, in memory and appended to a file, so a restart of the
 * dashboard keeps refusing it.
 */
export class SignedOutSessions {
  readonly #file: string;
  readonly #until = new Map<string, number>();

  /** Reads what the file holds, dropping what has expired since (and rewriting the file without it). */
  constructor(file: string, now = Date.now()) {
    this.#file = file;
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // No file yet: nobody has signed out.
    }
    for (const line of text.split('\n')) {
      const [id, until] = line.split(' ');
      const expires = Number(until);
      if (id !== undefined && id !== '' && Number.isFinite(expires) && expires > now) this.#until.set(id, expires);
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, this.#lines(), { mode: 0o600 });
  }

  has(id: string): boolean {
    return this.#until.has(id);
  }

  /** Records a signed-out session; written to the file before it returns, so a crash right after keeps it. */
  add(id: string, expires: number, now = Date.now()): void {
    for (const [known, until] of this.#until) if (until <= now) this.#until.delete(known);
    this.#until.set(id, expires);
    appendFileSync(this.#file, `${id} ${expires}\n`, { mode: 0o600 });
  }

  #lines(): string {
    return [...this.#until].map(([id, until]) => `${id} ${until}\n`).join('');
  }
}
