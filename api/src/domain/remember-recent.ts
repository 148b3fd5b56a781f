/**
 * `compute` with its answers for recently seen keys remembered, at most `max`
 * of them. Emptied when full: that bounds it with no bookkeeping per lookup
 * (an LRU's re-insertions leave V8's Map walking deleted slots). Only for pure
 * functions whose answers are never undefined.
 */
export function rememberRecent<K, V>(compute: (key: K) => V, max: number): (key: K) => V {
  const recent = new Map<K, V>();
  return (key) => {
    const known = recent.get(key);
    if (known !== undefined) return known;
    const answer = compute(key);
    if (recent.size >= max) recent.clear();
    recent.set(key, answer);
    return answer;
  };
}
