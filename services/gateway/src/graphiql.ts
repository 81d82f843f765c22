import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
const PAGE_DIR = fileURLToPath(new URL('../graphiql/', import.meta.url));
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * The page's content security policy: everything from the gateway itself. `data:` only for
 * images and fonts, which GraphiQL's stylesheet embeds (its fonts and editor markers); a data URL
 * is inline content, not a request to anyone.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
  /** Versioned file names never change content; our own files may with any release. */
  cacheControl: string;
}

/**
 * GraphiQL at /graphiql, served entirely from installed npm packages (graphiql, react, react-dom:
 * dependencies of the gateway, pinned by the lockfile) and two small files of ours, so it works
 * on a machine without internet and its CSP allows only 'self'. Mercurius's own page loads React
 * and GraphiQL from a public CDN. GraphiQL 4 is the last version with a build that runs without
 * a bundler (UMD), and React 18 the last with one of its own.
 */
export function registerGraphiql(app: FastifyInstance, options: { endpoint: string }): void {
  const assets = new Map<string, Asset>();
  const fromPackage = (name: string, file: string, type: string) => {
    const manifest = require.resolve(`${name}/package.json`);
    const { version } = require(manifest) as { version: string };
    const extension = file.slice(file.lastIndexOf('.'));
    const assetName = `${name}-${version}${extension}`;
    const body = readFileSync(join(dirname(manifest), file));
    assets.set(assetName, { body, type, cacheControl: 'public, max-age=31536000, immutable' });
    return `/graphiql/${assetName}`;
  };
  const ours = (file: string, type: string) => {
    assets.set(file, { body: readFileSync(join(PAGE_DIR, file)), type, cacheControl: 'no-cache' });
    return `/graphiql/${file}`;
  };
  const page = pageHtml({
    endpoint: options.endpoint,
    styles: [fromPackage('graphiql', 'graphiql.min.css', CSS), ours('page.css', CSS)],
    scripts: [
      fromPackage('react', 'umd/react.production.min.js', JS),
      fromPackage('react-dom', 'umd/react-dom.production.min.js', JS),
      fromPackage('graphiql', 'graphiql.min.js', JS),
      ours('start.js', JS),
    ],
  });

  app.get('/graphiql', (_request, reply) => {
    reply
      .header('content-security-policy', GRAPHIQL_CONTENT_SECURITY_POLICY)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(page);
  });
  app.get<{ Params: { asset: string } }>('/graphiql/:asset', (request, reply) => {
    const asset = assets.get(request.params.asset);
    if (!asset) return reply.callNotFound();
    return reply
      .header('content-security-policy', GRAPHIQL_CONTENT_SECURITY_POLICY)
      .header('cache-control', asset.cacheControl)
      .type(asset.type)
      .send(asset.body);
  });
}

function pageHtml(parts: { endpoint: string; styles: string[]; scripts: string[] }): string {
  const styles = parts.styles.map((href) => `  <link rel="stylesheet" href="${href}">`);
  const scripts = parts.scripts.map((src) => `  <script src="${src}"></script>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '  <meta charset="utf-8">',
    '  <meta name="robots" content="noindex">',
    '  <meta name="viewport" content="width=device-width, initial-scale=1">',
    '  <title>Clubland GraphiQL</title>',
    '  <link rel="icon" href="data:,">',
    ...styles,
    '</head>',
    '<body>',
    `  <div id="graphiql" data-endpoint="${parts.endpoint}">Loading GraphiQL…</div>`,
    ...scripts,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
