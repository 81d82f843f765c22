// Rewrites the README's configuration table from the config schema's docs (`npm run docs:config`).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable } from '@clubland/config';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const table = `<!-- config:start -->\n${renderConfigTable()}\n<!-- config:end -->`;
writeFileSync(path, readme.replace(/<!-- config:start -->[\s\S]*<!-- config:end -->/, table));
