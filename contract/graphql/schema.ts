import { readdirSync, readFileSync } from 'node:fs';

/** The public GraphQL schema: every `.graphql` file in this folder, one per domain, in name order.
 *  The SDL files are the single source; nothing else declares GraphQL types. */
export function loadSchemaSdl(): string {
  const folder = new URL('./', import.meta.url);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(new URL(name, folder), 'utf8'))
    .join('\n');
}
