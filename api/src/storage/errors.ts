/**
 * Storage's failures that the interfaces answer in their own way, whatever
 * the engine. Each implementation maps its driver's errors to these at its
 * edge, so nothing above storage reads an engine's error codes.
 */

/**
 * The store could not take the request in time because another connection
 * held it (past the busy timeout): nothing was stored, and the same request
 * may succeed when retried.
 */
export class StoreBusyError extends Error {
  constructor(options?: ErrorOptions) {
    super('database is busy; retry', options);
    this.name = 'StoreBusyError';
  }
}
