/** One signal an adjustment lowers, as `Lowering` carries it. */
export interface LoweringView {
  signal: string;
  match: string;
  factor: number;
}

/** A signal's name as words: `new_subnet` → `new subnet`. */
export function signalName(signal: string): string {
  return signal.replaceAll('_', ' ');
}

/**
 * What an adjustment lowers, by how much and on which events, in a phrase:
 * `to 0 on 81.2.69.0/24: new subnet, new asn` for a trust entry,
 * `×0.5: new country (value:NG), new browser (value:firefox)` for a false positive.
 */
export function loweringsText(lowers: readonly LoweringView[]): string {
  const byFactor = new Map<number, LoweringView[]>();
  for (const lowering of lowers) byFactor.set(lowering.factor, [...(byFactor.get(lowering.factor) ?? []), lowering]);
  return [...byFactor]
    .map(([factor, group]) => {
      const by = factor === 0 ? 'to 0' : `×${factor}`;
      const match = group[0]?.match;
      if (group.every((l) => l.match === match))
        return `${by} on ${match}: ${group.map((l) => signalName(l.signal)).join(', ')}`;
      return `${by}: ${group.map((l) => `${signalName(l.signal)} (${l.match})`).join(', ')}`;
    })
    .join('; ');
}
