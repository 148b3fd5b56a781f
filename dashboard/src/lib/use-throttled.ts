'use client';

import { useCallback, useEffect, useRef } from 'react';

/**
 * Wraps `run` so that a burst of calls runs it once, `ms` after the first:
 * live events can arrive by the hundred, a refetch per event would flood the API.
 */
export function useThrottled(run: () => void, ms: number): () => void {
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(run);
  latest.current = run;
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current);
    },
    [],
  );
  return useCallback(() => {
    if (pending.current !== null) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}
