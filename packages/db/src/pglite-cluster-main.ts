// The child of createPgliteClusterApart: `node pglite-cluster-main.ts <dataDir>` creates the
// embedded cluster there (PGlite runs initdb when it finds none), then closes it.
import { createPgliteDb } from './pglite-db.ts';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: node pglite-cluster-main.ts <dataDir>\n');
  process.exit(2);
}
const db = createPgliteDb({ dataDir, vacuumIntervalMs: 0 });
await db.ping();
await db.close();
