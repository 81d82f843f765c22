import { createRequire } from 'node:module';

/**
 * graphql-js exactly as Mercurius loads it: the CommonJS build. An ESM `import from 'graphql'` is
 * the same file under Node, but Vite (Vitest) resolves it to the package's `.mjs` build, a second
 * copy whose `instanceof` checks reject Mercurius's schema objects ("from another module or
 * realm"). Values that meet Mercurius's schema or errors come from here; types from 'graphql'.
 */
export const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
