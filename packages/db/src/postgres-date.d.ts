// node-postgres's timestamp parser (pg-types' dependency), the reference timestamptz.ts matches
// and falls back to; it ships no types. 'infinity' reads as ±Infinity, as node-postgres gives it.
declare module 'postgres-date' {
  export default function parseDate(text: string): Date | number | null;
}
