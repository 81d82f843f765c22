/** The answer of a pure rule: the cleaned value, or which field is wrong and why (the use case throws). */
export type Checked<T, F extends string = string> =
  | { ok: true; value: T }
  | { ok: false; field: F; message: string };
