'use client';

import { useMemo, useState } from 'react';

const FIRST_PAGE: Array<string | null> = [null];

/**
 * Forward cursor paging with a way back: the `after` cursor of every page
 * visited is kept, so Previous pops one and Next pushes the page's end cursor.
 * The functions keep their identity from render to render.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | null>>(FIRST_PAGE);
  const actions = useMemo(
    () => ({
      next: (endCursor: string | null | undefined) => setCursors((stack) => [...stack, endCursor ?? null]),
      previous: () => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)),
      reset: () => setCursors(FIRST_PAGE),
    }),
    [],
  );
  return {
    after: cursors[cursors.length - 1] ?? null,
    /** 1-based number of the page shown. */
    page: cursors.length,
    ...actions,
  };
}
