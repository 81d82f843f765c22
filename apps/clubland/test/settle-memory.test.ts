import { getHeapSpaceStatistics } from 'node:v8';
import { createLogger } from '@clubland/log';
import { describe, expect, it } from 'vitest';
import { settleMemoryAfterStart } from '../src/settle-memory.ts';

const newSpaceSize = () =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;

describe('settleMemoryAfterStart', () => {
  it("gives back the young generation that start-up's allocations grew", () => {
    // Start-up's shape: much allocated fast, and much of it kept, grows the young generation.
    const kept: number[][] = [];
    for (let i = 0; i < 400; i++) kept.push(Array.from({ length: 10_000 }, (_, n) => n + i));
    const grown = newSpaceSize();
    kept.length = 0;
    settleMemoryAfterStart(createLogger({ service: 'test', level: 'silent' }));
    expect(newSpaceSize()).toBeLessThan(grown / 2);
    expect('gc' in globalThis).toBe(false);
  });
});
