import { HttpError } from './http-error.ts';
import type { RestRoute } from './rest-routes.ts';

interface CompiledRoute {
  route: RestRoute;
  /** The fixed part of the path, up to the parameter if there is one. */
  prefix: string;
  hasParam: boolean;
}

function compile(route: RestRoute): CompiledRoute {
  const at = route.path.indexOf(':');
  return at === -1
    ? { route, prefix: route.path, hasParam: false }
    : { route, prefix: route.path.slice(0, at), hasParam: true };
}

/** The REST route table: finds a request's route and its decoded `user_id`. */
export class Router {
  readonly #routes: CompiledRoute[];

  constructor(routes: RestRoute[]) {
    this.#routes = routes.map(compile);
  }

  /** The route for a method and path; throws 404 (no such path), 405 (with Allow) or 400 (bad encoding). */
  resolve(method: string, pathname: string): { route: RestRoute; userId: string } {
    const found = this.#match(pathname);
    if (found.routes.length === 0) throw new HttpError(404, 'not_found', `no route for ${method} ${pathname}`);
    const wanted = method === 'HEAD' ? 'GET' : method;
    const hit = found.routes.find((r) => r.route.method === wanted);
    if (hit === undefined) {
      const allow = [...new Set(found.routes.map((r) => r.route.method)), 'OPTIONS'].join(', ');
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${pathname}`, {
        headers: { allow },
      });
    }
    return { route: hit.route, userId: found.userId };
  }

  #match(pathname: string): { routes: CompiledRoute[]; userId: string } {
    const routes = this.#routes;
    for (const candidate of routes) {
      if (!candidate.hasParam) {
        if (pathname === candidate.prefix)
          return { routes: routes.filter((r) => r.prefix === candidate.prefix), userId: '' };
        continue;
      }
      if (!pathname.startsWith(candidate.prefix)) continue;
      const raw = pathname.slice(candidate.prefix.length);
      if (raw === '' || raw.includes('/')) continue;
      let userId: string;
      try {
        userId = decodeURIComponent(raw);
      } catch {
        throw new HttpError(400, 'invalid_path', 'user_id in the path is not valid percent-encoding', {
          issues: [{ field: 'user_id', message: 'invalid percent-encoding' }],
        });
      }
      return { routes: routes.filter((r) => r.prefix === candidate.prefix), userId };
    }
    return { routes: [], userId: '' };
  }
}
