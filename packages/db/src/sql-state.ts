/** The SQLSTATE of a database error (`'23505'` unique violation, ...), the same on both adapters. */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export const SQL_STATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  insufficientPrivilege: '42501',
  /** `SET ROLE` to a role that does not exist (invalid_parameter_value). */
  undefinedRole: '22023',
  serializationFailure: '40001',
  /** A prepared statement whose table changed under it: "cached plan must not change result type". */
  cachedPlanChanged: '0A000',
} as const;
