'use client';

import { useState } from 'react';

/**
 * Forward cursor paging with a way back: the `after` cursor of every page
 * visited is kept, so Previous pops one and Next pushes the page's end cursor.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  return {
    after: cursors[cursors.length - 1] ?? null,
    /** 1-based number of the page shown. */
    page: cursors.length,
    next: (endCursor: string | null | undefined) => setCursors((stack) => [...stack, endCursor ?? null]),
    previous: () => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)),
    reset: () => setCursors([null]),
  };
}
