import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger } from '@clubland/log';

type CollectGarbage = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * One full garbage collection, once start-up is over, that gives its memory back.
 *
 * Start-up allocates fast and keeps most of what it allocates (six services' modules, the
 * embedded engine, migrations, the demo network), so V8 grows its young generation to the largest
 * it allows; nothing shrinks it later while the process idles, and the small allocations of an
 * idle process's timers go on touching all of it: an embedded restart idled at ~290 MB. After one
 * memory-reducing collection it idles at ~235–245 MB (bench/memory.ts); under load the young
 * generation grows back as it needs. The collection takes tens of ms, once.
 *
 * `gc` comes from a fresh context after `--expose-gc` is set at run time, as Node's own tests get
 * it: the process's global scope gets no `gc`.
 */
export function settleMemoryAfterStart(log: Logger): void {
  const startedAt = performance.now();
  const before = process.memoryUsage().rss;
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as CollectGarbage;
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  const after = process.memoryUsage().rss;
  log.debug(
    {
      rssBeforeMb: Math.round(before / 1e6),
      rssAfterMb: Math.round(after / 1e6),
      ms: Math.round(performance.now() - startedAt),
    },
    'memory settled after start-up',
  );
}
