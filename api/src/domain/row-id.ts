/** Event and alert ids are the store's positive integer row ids; anything else names no row. */
export function parseRowId(id: string | number): number | null {
  const text = String(id);
  return /^[1-9]\d{0,15}$/.test(text) ? Number(text) : null;
}
