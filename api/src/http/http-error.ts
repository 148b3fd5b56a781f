import { describeIssues, type FieldIssue } from '../domain/event-input.ts';

/** An error the client caused or can act on, with the status and JSON body it is answered with. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: FieldIssue[];
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { issues?: FieldIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = options.issues ?? [];
    this.headers = options.headers ?? {};
  }

  /** A 422 naming each bad field; the message leads with the first. */
  static invalid(issues: FieldIssue[]): HttpError {
    return new HttpError(422, 'invalid_field', describeIssues(issues), { issues });
  }

  /** A 503 with Retry-After: nothing was stored, the client should retry shortly. */
  static retryLater(code: string, message: string, retryAfterSeconds = 1, headers: Record<string, string> = {}) {
    return new HttpError(503, code, message, { headers: { 'retry-after': String(retryAfterSeconds), ...headers } });
  }

  /** A 429 with Retry-After: the caller is over a rate limit. */
  static tooMany(message: string, retryAfterSeconds: number): HttpError {
    return new HttpError(429, 'rate_limited', message, { headers: { 'retry-after': String(retryAfterSeconds) } });
  }

  /**
   * The body GraphQL clients read: `errors[]` with `extensions.code` (the REST
   * code in capitals, but `UNAUTHENTICATED` for a 401, so a client knows to
   * sign in again) and, past a limit, `retryAfter` seconds.
   */
  toGraphQLBody(): { errors: Array<{ message: string; extensions: Record<string, unknown> }> } {
    const extensions: Record<string, unknown> = {
      code: this.status === 401 ? 'UNAUTHENTICATED' : this.code.toUpperCase(),
    };
    const retryAfter = this.headers['retry-after'];
    if (retryAfter !== undefined) extensions.retryAfter = Number(retryAfter);
    return { errors: [{ message: this.message, extensions }] };
  }

  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { ok: false, error: this.code, message: this.message };
    if (this.issues[0] !== undefined) {
      body.field = this.issues[0].field;
      body.issues = this.issues;
    }
    return body;
  }
}
