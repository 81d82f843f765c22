/**
 * Settings every database session of ours starts with: PostgreSQL connections send them as the
 * startup `options`, PGlite's single session runs them once when it opens.
 *
 * `random_page_cost = 1.1` (the server default, 4, prices a random read as on a spinning disk):
 * with it, PostgreSQL prices an index read as what it is on SSD or in memory, and keeps reading a
 * page of a list in index order even when it estimates a tenant to be small. At 4, the plan it
 * caches for a statement shared by all clubs sorts the whole club instead as soon as the average
 * club looks small: for one club of 10,000 among a thousand of 5, a 20-row page went from ~0.1 ms
 * to ~6 ms. (limitSql explains why pages run on the cached plan.)
 */
const SESSION_SETTINGS: Readonly<Record<string, string>> = { random_page_cost: '1.1' };

/** As a PostgreSQL startup `options` value: `-c name=value ...`. */
export function sessionStartupOptions(): string {
  return Object.entries(SESSION_SETTINGS)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
}

/** As SQL for a session that is already open (PGlite's). */
export function sessionSettingsSql(): string {
  return Object.entries(SESSION_SETTINGS)
    .map(([name, value]) => `SET ${name} = ${value}`)
    .join('; ');
}
