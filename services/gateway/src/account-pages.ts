import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const PAGE_DIR = fileURLToPath(new URL('../account-pages/', import.meta.url));
const ASSET_PATH = '/account-pages/';

/**
 * Everything from the gateway itself; the script talks to /graphql (same origin). No form is ever
 * submitted by the browser (the script sends it), so a page without its script cannot put a
 * password into a URL either.
 */
export const ACCOUNT_PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // The page's icon is an empty data URL: inline content, not a request to anyone.
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Field {
  name: string;
  label: string;
  type: 'text' | 'password';
  autocomplete: string;
  required: boolean;
}

interface PageSpec {
  path: string;
  title: string;
  intro: string;
  fields: Field[];
  button: string;
}

const newPassword = (name: string, label: string): Field => ({
  name,
  label,
  type: 'password',
  autocomplete: 'new-password',
  required: true,
});

/**
 * The pages the auth service's emails link to (`${PUBLIC_URL}/<path>?token=…`,
 * services/auth/src/app/emails.ts). A front end of its own may serve these paths instead.
 */
export const ACCOUNT_PAGES: readonly PageSpec[] = [
  {
    path: 'verify-email',
    title: 'Confirm your email address',
    intro: 'Press the button to confirm this email address for your Clubland account.',
    fields: [],
    button: 'Confirm my email address',
  },
  {
    path: 'reset-password',
    title: 'Choose a new password',
    intro: 'Choose the new password for your Clubland account.',
    fields: [newPassword('password', 'New password'), newPassword('repeat', 'The new password again')],
    button: 'Set the new password',
  },
  {
    path: 'accept-invitation',
    title: 'Accept your invitation',
    intro:
      'Choose a password for your new Clubland account, or, if this address has an account already, enter its password.',
    fields: [
      { name: 'firstName', label: 'First name', type: 'text', autocomplete: 'given-name', required: false },
      { name: 'lastName', label: 'Last name', type: 'text', autocomplete: 'family-name', required: false },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true },
    ],
    button: 'Accept the invitation',
  },
];

/** Pages for people, not REST routes: left out of /openapi.json (openapi.ts). */
const HIDDEN = { schema: { hide: true } };

const ASSETS: Record<string, string> = {
  'account.js': 'text/javascript; charset=utf-8',
  'account.css': 'text/css; charset=utf-8',
};

/**
 * Small static pages for the links in emails: verify an address, reset a password, accept an
 * invitation. Each is the same HTML for every visitor (built once here); the token stays in the
 * browser, read by the page's script from the address, and a GET changes nothing: the page's
 * button sends the mutation to `endpoint`. Shaped like the GraphiQL page (graphiql.ts).
 */
export function registerAccountPages(app: FastifyInstance, options: { endpoint: string }): void {
  const assets = new Map(
    Object.entries(ASSETS).map(([file, type]) => [file, { type, body: readFileSync(join(PAGE_DIR, file)) }]),
  );
  for (const spec of ACCOUNT_PAGES) {
    const html = pageHtml(spec, options.endpoint);
    app.get(`/${spec.path}`, HIDDEN, (_request, reply) => {
      reply
        .header('content-security-policy', ACCOUNT_PAGE_CONTENT_SECURITY_POLICY)
        // The address holds a token: neither the page nor the address is kept anywhere.
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(html);
    });
  }
  app.get<{ Params: { asset: string } }>(`${ASSET_PATH}:asset`, HIDDEN, (request, reply) => {
    const asset = assets.get(request.params.asset);
    if (!asset) return reply.callNotFound();
    return reply
      .header('content-security-policy', ACCOUNT_PAGE_CONTENT_SECURITY_POLICY)
      .header('cache-control', 'no-cache')
      .type(asset.type)
      .send(asset.body);
  });
}

function pageHtml(spec: PageSpec, endpoint: string): string {
  const fields = spec.fields.flatMap((field) => [
    `      <label for="${field.name}">${field.label}</label>`,
    `      <input id="${field.name}" name="${field.name}" type="${field.type}" autocomplete="${field.autocomplete}"${field.required ? ' required' : ''}>`,
  ]);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '  <meta charset="utf-8">',
    '  <meta name="robots" content="noindex">',
    '  <meta name="referrer" content="no-referrer">',
    '  <meta name="viewport" content="width=device-width, initial-scale=1">',
    `  <title>${spec.title} · Clubland</title>`,
    '  <link rel="icon" href="data:,">',
    `  <link rel="stylesheet" href="${ASSET_PATH}account.css">`,
    '</head>',
    `<body data-page="${spec.path}" data-endpoint="${endpoint}">`,
    '  <main>',
    `    <h1>${spec.title}</h1>`,
    `    <p>${spec.intro}</p>`,
    // method="post": should the script not run, the browser would not put the fields in a URL.
    '    <form id="account-form" method="post">',
    ...fields,
    `      <button type="submit">${spec.button}</button>`,
    '    </form>',
    '    <p id="result" role="status" aria-live="polite"></p>',
    '  </main>',
    `  <script src="${ASSET_PATH}account.js"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
