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
 */
export const API_NODE_FLAGS = ['--max-old-space-size=256', '--liftoff-only'];
