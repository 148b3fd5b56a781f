import { createHash } from 'node:crypto';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Documents remembered at most, and their total size: a client registering new hashes cannot grow memory. */
export const PERSISTED_QUERY_LIMITS = { entries: 1_000, chars: 4_000_000 };

interface PersistedQueryExtension {
  version: 1;
  sha256Hash: string;
}

function persistedQueryOf(extensions: Record<string, unknown> | undefined): PersistedQueryExtension | null {
  const candidate = extensions?.persistedQuery as Partial<PersistedQueryExtension> | undefined;
  return candidate?.version === 1 && typeof candidate.sha256Hash === 'string'
    ? (candidate as PersistedQueryExtension)
    : null;
}

/** Least recently used documents go first once either limit is passed. */
export class DocumentStore {
  readonly #documents = new Map<string, string>();
  #chars = 0;

  get(hash: string): string | undefined {
    const document = this.#documents.get(hash);
    if (document !== undefined) {
      this.#documents.delete(hash);
      this.#documents.set(hash, document);
    }
    return document;
  }

  set(hash: string, document: string): void {
    if (document.length > PERSISTED_QUERY_LIMITS.chars || this.#documents.has(hash)) return;
    this.#documents.set(hash, document);
    this.#chars += document.length;
    for (const [oldest, text] of this.#documents) {
      if (this.#documents.size <= PERSISTED_QUERY_LIMITS.entries && this.#chars <= PERSISTED_QUERY_LIMITS.chars) break;
      this.#documents.delete(oldest);
      this.#chars -= text.length;
    }
  }
}

/**
 * Automatic persisted queries (Apollo's protocol, `extensions.persistedQuery`
 * with the document's SHA-256): a request with the hash alone runs the
 * document registered under it, or answers `PersistedQueryNotFound`
 * (`PERSISTED_QUERY_NOT_FOUND`), upon which the client sends the document
 * with its hash once and the hash alone from then on. The documents live in
 * memory on this node. Must come before the response cache, whose key is
 * made from the document.
 */
export function usePersistedQueries(): Plugin {
  const store = new DocumentStore();
  return {
    onParams({ params, setParams }) {
      const persisted = persistedQueryOf(params.extensions);
      if (persisted === null) return;
      const hash = persisted.sha256Hash.toLowerCase();
      if (params.query == null) {
        const query = store.get(hash);
        if (query === undefined) {
          throw createGraphQLError('PersistedQueryNotFound', {
            extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } },
          });
        }
        setParams({ ...params, query });
        return;
      }
      if (typeof params.query !== 'string') return;
      if (createHash('sha256').update(params.query).digest('hex') !== hash) {
        throw createGraphQLError('provided sha does not match query', {
          extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
        });
      }
      store.set(hash, params.query);
    },
  };
}
