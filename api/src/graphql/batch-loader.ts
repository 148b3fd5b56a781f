interface Waiter<V> {
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

/**
 * A per-request loader that batches every key asked for in the same tick into
 * one call of `load`: a page of users costs one statement, not one per user.
 * Keys `load` does not answer get `missing`.
 */
export function createBatchLoader<K, V>(
  load: (keys: K[]) => Promise<Map<K, V>> | Map<K, V>,
  missing: V,
): (key: K) => Promise<V> {
  let batch: Map<K, Waiter<V>[]> | null = null;

  async function flush(waiting: Map<K, Waiter<V>[]>): Promise<void> {
    try {
      const found = await load([...waiting.keys()]);
      for (const [key, waiters] of waiting) for (const w of waiters) w.resolve(found.get(key) ?? missing);
    } catch (error) {
      for (const waiters of waiting.values()) for (const w of waiters) w.reject(error);
    }
  }

  return (key) =>
    new Promise((resolve, reject) => {
      if (batch === null) {
        const waiting = new Map<K, Waiter<V>[]>();
        batch = waiting;
        queueMicrotask(() => {
          batch = null;
          void flush(waiting);
        });
      }
      batch.set(key, [...(batch.get(key) ?? []), { resolve, reject }]);
    });
}
