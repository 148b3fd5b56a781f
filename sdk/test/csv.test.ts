import { describe, expect, it } from 'vitest';
import { csvRecords } from '../src/csv.ts';

describe('CSV records', () => {
  async function* from(lines: string[]) {
    yield* lines;
  }
  it('reads quoted commas, doubled quotes and line breaks, with the line each record starts on', async () => {
    const records = [];
    for await (const record of csvRecords(
      from([
        'user_id,kind,user_agent',
        'alice,login,"Mozilla/5.0 (X11, Linux) ""quoted"""',
        'bob,login,"two',
        'lines"',
        'carol,logout,',
      ]),
    ))
      records.push(record);
    expect(records.map((r) => [r.line, r.record])).toEqual([
      [2, { user_id: 'alice', kind: 'login', user_agent: 'Mozilla/5.0 (X11, Linux) "quoted"' }],
      [3, { user_id: 'bob', kind: 'login', user_agent: 'two\nlines' }],
      [5, { user_id: 'carol', kind: 'logout', user_agent: '' }],
    ]);
  });

  it('names the line of a record with the wrong number of fields, and an unclosed quote', async () => {
    const read = async (lines: string[]) => {
      for await (const _ of csvRecords(from(lines))) {
        // read them all
      }
    };
    await expect(read(['a,b', '1,2', '1,2,3'])).rejects.toThrow(/line 3: 3 fields where the header has 2/);
    await expect(read(['a,b', '1,"2'])).rejects.toThrow(/line 2: a quoted field is never closed/);
  });
});
