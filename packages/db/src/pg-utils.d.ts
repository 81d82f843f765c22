// node-postgres's parameter encoding, which the PGlite adapter shares so both adapters send the
// same text for the same JavaScript value (pg ships no types for this module).
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): string | Buffer | null };
  export default utils;
}
