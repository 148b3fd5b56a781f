import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { type GraphiQLOptions, type Plugin, shouldRenderGraphiQL } from 'graphql-yoga';

export type PageEncoding = 'br' | 'gzip' | 'identity';

/**
 * The encoding to send a page in, from a request's Accept-Encoding: brotli
 * (smallest) over gzip over none; an encoding with q=0 is refused.
 */
export function pickEncoding(acceptEncoding: string | null): PageEncoding {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    if (name !== '' && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('x-gzip')) return 'gzip';
  return 'identity';
}

const compressors: Record<Exclude<PageEncoding, 'identity'>, (page: Buffer) => Promise<Buffer>> = {
  // Quality 11 would take tens of seconds on the 9 MB page for a few percent less.
  br: (page) =>
    promisify(brotliCompress)(page, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 6,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: page.length,
      },
    }),
  gzip: (page) => promisify(gzip)(page, { level: 9 }),
};

/** The same bytes, typed as a Response body takes them (no copy). */
const asBody = (buffer: Buffer): Uint8Array<ArrayBuffer> =>
  new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength);

/**
 * Serves the bundled GraphiQL IDE on GET `endpoint` from a browser, in its
 * place in Yoga's pipeline (Yoga's own `graphiql` option is off). The page
 * holds the whole IDE, about 9 MB of script: its module is loaded and the page
 * rendered on the first visit (loading it takes seconds on a busy machine, too
 * long for every start of the API), each encoding is compressed once (off the
 * event loop) on first use and kept, and an ETag lets a browser revalidate
 * instead of downloading it again.
 */
export function useGraphiQLPage(endpoint: string, options: GraphiQLOptions): Plugin {
  let rendered: Promise<{ page: Buffer; tag: string }> | undefined;
  const bodies = new Map<PageEncoding, Promise<Uint8Array<ArrayBuffer>>>();
  const render = () => {
    rendered ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => {
      const page = Buffer.from(renderGraphiQL(options));
      return { page, tag: createHash('sha256').update(page).digest('base64url').slice(0, 27) };
    });
    return rendered;
  };
  const body = (encoding: PageEncoding): Promise<Uint8Array<ArrayBuffer>> => {
    let encoded = bodies.get(encoding);
    if (encoded === undefined) {
      encoded = render().then(({ page }) =>
        encoding === 'identity' ? asBody(page) : compressors[encoding](page).then(asBody),
      );
      bodies.set(encoding, encoded);
    }
    return encoded;
  };

  return {
    // Synchronous unless it answers: an async hook would put every request on the promise path.
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!shouldRenderGraphiQL(request) || (url.pathname !== endpoint && url.pathname !== `${endpoint}/`)) return;
      const encoding = pickEncoding(request.headers.get('accept-encoding'));
      return render().then(({ tag }) => {
        // Each encoding is its own representation, so its own strong ETag.
        const etag = `"${tag}${encoding === 'identity' ? '' : `-${encoding}`}"`;
        const validators = {
          etag,
          // Revalidated on every visit (a 304 without the body), so an upgraded API is seen at once.
          'cache-control': 'no-cache',
          vary: 'Accept, Accept-Encoding',
        };
        const known = request.headers.get('if-none-match');
        if (known?.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)) {
          endResponse(new fetchAPI.Response(null, { status: 304, headers: validators }));
          return;
        }
        const headers: Record<string, string> = { ...validators, 'content-type': 'text/html; charset=utf-8' };
        if (encoding !== 'identity') headers['content-encoding'] = encoding;
        return body(encoding).then((bytes) => endResponse(new fetchAPI.Response(bytes, { status: 200, headers })));
      });
    },
  };
}
