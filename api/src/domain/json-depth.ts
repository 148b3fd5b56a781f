/**
 * Whether objects and arrays nest in `root` more than `maxDepth` levels deep
 * (`root` itself is level 1). Walks without recursion, so a value deeper than
 * the stack is answered, not overflowed on.
 */
export function nestsDeeperThan(root: unknown, maxDepth: number): boolean {
  const pending: Array<[unknown, number]> = [[root, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(value)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}
