/** One CSV record by its header's column names, with the line it starts on and its text. */
export interface CsvRecord {
  record: Record<string, string>;
  line: number;
  text: string;
}

/**
 * RFC 4180 records from lines: the first record names the columns; quoted
 * fields may hold commas, doubled quotes and line breaks.
 */
export async function* csvRecords(lines: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let header: string[] | null = null;
  let pending = '';
  let start = 0;
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (pending === '') start = line;
    pending = pending === '' ? text : `${pending}\n${text}`;
    const fields = splitRecord(pending);
    if (fields === null) continue; // a quoted field goes on to the next line
    const whole = pending;
    pending = '';
    if (whole.trim() === '') continue;
    if (header === null) {
      header = fields.map((field) => field.trim());
      continue;
    }
    if (fields.length !== header.length) {
      throw new Error(`line ${start}: ${fields.length} fields where the header has ${header.length}`);
    }
    const columns = header;
    yield {
      record: Object.fromEntries(fields.map((field, i) => [columns[i] as string, field])),
      line: start,
      text: whole,
    };
  }
  if (pending !== '') throw new Error(`line ${start}: a quoted field is never closed`);
}

/** The fields of one record, or null when a quoted field is still open at its end. */
function splitRecord(text: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}
