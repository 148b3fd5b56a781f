import type { CombinedError } from '@urql/next';

/** A failed mutation's errors: those naming an argument (`extensions.field`), by argument, and the rest. */
export interface FormErrors {
  byField: Partial<Record<string, string>>;
  other: string | null;
}

const NO_ERRORS: FormErrors = { byField: {}, other: null };

/** What the API said, in words for the form: an argument's problem beside it, a refusal as one sentence. */
export function formErrors(error: CombinedError | undefined): FormErrors {
  if (!error) return NO_ERRORS;
  const byField: Partial<Record<string, string>> = {};
  const other: string[] = [];
  for (const e of error.graphQLErrors) {
    const code = e.extensions?.code;
    const field = e.extensions?.field;
    if (code === 'FORBIDDEN') other.push('Your key’s role may not do this.');
    else if (typeof field === 'string' && code === 'BAD_USER_INPUT') byField[field] = e.message;
    else other.push(e.message);
  }
  if (error.networkError) other.push(error.networkError.message);
  if (error.response?.status === 401) other.push('Your session ended: sign in again.');
  return { byField, other: other.length > 0 ? other.join(' ') : null };
}
