import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../scripts/find-chromium.ts';

const dir = mkdtempSync(join(tmpdir(), 'persona-drift-chromium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding a browser for the tests', () => {
  it('takes CHROMIUM_PATH when it names an executable', () => {
    const browser = join(dir, 'my-chrome');
    writeFileSync(browser, '#!/bin/sh\n');
    chmodSync(browser, 0o755);
    expect(findChromium({ CHROMIUM_PATH: browser })).toEqual({ path: browser });
  });

  it('says what to install and which variable to set when CHROMIUM_PATH names nothing', () => {
    const found = findChromium({ CHROMIUM_PATH: join(dir, 'missing') });
    expect('problem' in found && found.problem).toMatch(/CHROMIUM_PATH=.*missing is not an executable file/);
    expect('problem' in found && found.problem).toContain('sudo apt-get install -y chromium');
  });
});
