/** Where the API is and how to reach it. */
export interface Connection {
  /** The API's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** An API key (producer for sending, analyst or admin for reading); none while the API runs open. */
  apiKey?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

export function endpoint(connection: Connection, path: string): string {
  return `${connection.url.replace(/\/+$/, '')}${path}`;
}

export function headers(connection: Connection, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(connection.apiKey ? { authorization: `Bearer ${connection.apiKey}` } : {}), ...extra };
}

/** Waits `ms`, or less if `signal` aborts. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
