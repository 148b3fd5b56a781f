import type { FormErrors } from '../lib/api-errors';

/**
 * A form's error markup: each field's message beside it, tied to its input
 * (`aria-invalid`, `aria-describedby`), and the rest as one alert.
 */
export function fieldErrors(errors: FormErrors, id: string) {
  const errorId = (field: string) => `${id}-${field}-error`;
  return {
    /** The message about `field`, if any. */
    fieldError(field: string) {
      const message = errors.byField[field];
      return message ? (
        <p id={errorId(field)} className="field-error" role="alert">
          {message}
        </p>
      ) : null;
    },
    /** Attributes that mark `field`'s input invalid and point at its message. */
    described(field: string) {
      return errors.byField[field] ? { 'aria-invalid': true, 'aria-describedby': errorId(field) } : {};
    },
  };
}

/** What the API said that names no field. */
export function OtherError({ errors }: { errors: FormErrors }) {
  return errors.other ? (
    <p className="field-error" role="alert">
      {errors.other}
    </p>
  ) : null;
}
