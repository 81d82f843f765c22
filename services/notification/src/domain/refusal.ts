import type { ErrorCode } from '@clubland/errors';

/**
 * An expected failure of a pure rule, as a value (STYLE.md): the use case turns it into
 * `new ClubError(refusal.code, refusal.message, { field: refusal.field })`; nothing has changed.
 */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  /** The offending input field, e.g. `input.quietHoursStart`. */
  field?: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | Refusal;

export function invalidInput(field: string, message: string): Refusal {
  return { ok: false, code: 'request.invalid_input', field, message };
}
