import { readFileSync } from 'node:fs';
import { renderConfigTable } from '@clubland/config';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('the README stays true', () => {
  it('lists every configuration variable with its default, as the config schema has them', () => {
    const table = /<!-- config:start -->\n([\s\S]*?)\n<!-- config:end -->/.exec(readme)?.[1];
    expect(table).toBe(renderConfigTable());
  });

  it('gives the quick start exactly, and the commands it names exist', () => {
    expect(readme).toContain('npm install && npm start');
    for (const script of ['start', 'test', 'build', 'typecheck', 'lint', 'clubland', 'bench:bus']) {
      expect(packageJson.scripts[script], script).toBeDefined();
    }
  });
});
