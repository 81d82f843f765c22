import { ClubError, type ErrorCode } from '@clubland/errors';

/**
 * An expected failure of a pure rule, as a value (STYLE.md): the use case throws
 * `toClubError(refusal)`; nothing has changed. Named apart from @clubland/errors' `invalidInput`,
 * which makes the thrown error.
 */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  /** The offending input field, e.g. `input.quietHoursStart`. */
  field?: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | Refusal;

export function refuseInput(field: string, message: string): Refusal {
  return { ok: false, code: 'request.invalid_input', field, message };
}

/** The refusal as the error a use case throws (ClubError from @clubland/errors, field included). */
export function toClubError(refusal: Refusal): ClubError {
  return new ClubError(
    refusal.code,
    refusal.message,
    refusal.field === undefined ? {} : { field: refusal.field },
  );
}
