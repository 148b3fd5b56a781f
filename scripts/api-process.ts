/**
 * The V8 flags the API process runs with (`npm start`, the benchmark).
 * - A 256 MB old-space cap: V8 otherwise lets garbage from large batches grow
 *   the heap to several times the live data (about 60 MB, mostly code) before
 *   collecting; with the cap the resident size stays near 250 MB. The request
 *   limits (MAX_IN_FLIGHT, MAX_IN_FLIGHT_BYTES, MAX_BODY_BYTES) keep the live
 *   data far below it.
 * - Liftoff-only WebAssembly: Prisma's query compiler is a 3 MB WebAssembly
 *   module; V8's optimizing tier recompiles it in the background into about
 *   45 MB of extra code, for 10–30% faster Prisma queries (measured). Most
 *   reads avoid Prisma (prepared statements, the response cache), so memory wins.
 * - No allocation-site pretenuring: during a sustained burst of writes V8
 *   learns to allocate the objects of busy allocation sites straight into the
 *   old generation, and keeps doing so afterwards for the short-lived objects
 *   of every request through the same code. Reads after a fill then ran at
 *   66–80% of a fresh process's rate, with three times slower young
 *   collections and steady mark-compacts; without pretenuring, at 90–104%,
 *   and the fill itself no slower (measured: bench/results.md; see docs/performance.md).
 */
export const API_NODE_FLAGS = ['--max-old-space-size=256', '--liftoff-only', '--no-allocation-site-pretenuring'];
