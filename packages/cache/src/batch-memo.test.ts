import { describe, expect, it } from 'vitest';
import { memoizeBatch } from './batch-memo.ts';

interface Fact {
  status: 'ACTIVE' | 'SUSPENDED';
}

function countingLookup(known: Map<string, Fact>) {
  const asked: string[][] = [];
  const lookup = async (ids: readonly string[]) => {
    asked.push([...ids]);
    return new Map(ids.flatMap((id) => (known.has(id) ? [[id, known.get(id)!] as const] : [])));
  };
  return { lookup, asked };
}

describe('memoizeBatch', () => {
  it('asks once for an id within its lifetime, only for the ids it lacks, and again after', async () => {
    let clock = 0;
    const { lookup, asked } = countingLookup(
      new Map([
        ['a', { status: 'ACTIVE' }],
        ['b', { status: 'ACTIVE' }],
      ]),
    );
    const memo = memoizeBatch(lookup, { ttlMs: 1000, now: () => clock });
    await memo.get(['a']);
    expect([...(await memo.get(['a', 'b'])).keys()]).toEqual(['a', 'b']);
    expect(asked).toEqual([['a'], ['b']]);
    clock = 1001;
    await memo.get(['a']);
    expect(asked).toEqual([['a'], ['b'], ['a']]);
  });

  it('asks again at once for an id it was told to forget', async () => {
    const known = new Map<string, Fact>([['a', { status: 'ACTIVE' }]]);
    const memo = memoizeBatch(countingLookup(known).lookup, { ttlMs: 60_000 });
    expect((await memo.get(['a'])).get('a')?.status).toBe('ACTIVE');
    known.set('a', { status: 'SUSPENDED' });
    expect((await memo.get(['a'])).get('a')?.status).toBe('ACTIVE');
    memo.forget('a');
    expect((await memo.get(['a'])).get('a')?.status).toBe('SUSPENDED');
  });

  it('does not keep what a lookup under way read when the id is forgotten meanwhile', async () => {
    let release: () => void = () => {};
    let status: Fact['status'] = 'ACTIVE';
    const lookup = async (ids: readonly string[]) => {
      const read = status;
      await new Promise<void>((resolve) => (release = resolve));
      return new Map(ids.map((id) => [id, { status: read }]));
    };
    const memo = memoizeBatch(lookup, { ttlMs: 60_000 });
    const underWay = memo.get(['a']);
    status = 'SUSPENDED';
    memo.forget('a');
    release();
    // The caller gets what was read; the memo keeps none of it, so the next call reads again.
    expect((await underWay).get('a')?.status).toBe('ACTIVE');
    const next = memo.get(['a']);
    release();
    expect((await next).get('a')?.status).toBe('SUSPENDED');
  });

  it('does not remember an id it did not find, nor anything with a lifetime of 0', async () => {
    const known = new Map<string, Fact>();
    const { lookup, asked } = countingLookup(known);
    const memo = memoizeBatch(lookup, { ttlMs: 60_000 });
    expect((await memo.get(['b'])).has('b')).toBe(false);
    known.set('b', { status: 'ACTIVE' });
    expect((await memo.get(['b'])).has('b')).toBe(true);
    expect(asked).toEqual([['b'], ['b']]);

    const none = countingLookup(known);
    const unkept = memoizeBatch(none.lookup, { ttlMs: 0 });
    await unkept.get(['b']);
    await unkept.get(['b']);
    expect(none.asked).toEqual([['b'], ['b']]);
  });
});
