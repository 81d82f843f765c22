import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((path) => path !== '' && existsSync(join(root, path)));
const textFiles = tracked.filter((path) => /\.(md|ts|graphql|proto|json|ya?ml|sh|sql)$/.test(path));
// CI may build Fabric from the workplace beside the clone; nothing a user reads or runs may. This
// file names the pattern it looks for.
const mayPointOutside = new Set(['.ci/run', 'test/repository-links.test.ts']);

/** Relative targets of Markdown links and images: `[text](target)`, without anchors. */
function markdownTargets(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]?.split('#')[0] ?? '')
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target));
}

describe('the repository stands on its own', () => {
  it('has no file that points to the workplace outside the clone (../shared)', () => {
    const pointing = textFiles.filter(
      (path) =>
        !mayPointOutside.has(path) &&
        /\.\.\/shared\b|\bshared\/(DESIGN|STYLE|contract)/.test(readFileSync(join(root, path), 'utf8')),
    );
    expect(pointing).toEqual([]);
  });

  it('links every Markdown document only to files inside the repository that exist', () => {
    const broken: string[] = [];
    for (const path of tracked.filter((file) => file.endsWith('.md'))) {
      for (const target of markdownTargets(readFileSync(join(root, path), 'utf8'))) {
        const absolute = resolve(root, dirname(path), target);
        const inside = !relative(root, absolute).startsWith('..');
        if (!inside || !existsSync(absolute)) broken.push(`${path} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('has the architecture document the README links', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('(docs/architecture.md)');
  });
});
