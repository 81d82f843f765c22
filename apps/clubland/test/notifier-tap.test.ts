import type { NotificationMessage } from '@clubland/notify';
import { describe, expect, it } from 'vitest';
import { createNotifierTap } from '../src/notifier-tap.ts';

const message = (to: string, text: string): NotificationMessage => ({
  to,
  channel: 'email',
  template: 'auth.club-invitation',
  subject: 's',
  text,
  data: {},
});

describe('the notifier tap', () => {
  it('delivers every message and shows a watch only what was sent while it was open', async () => {
    const delivered: string[] = [];
    const tap = createNotifierTap({
      async send(m) {
        delivered.push(m.text);
      },
    });
    await tap.notifier.send(message('ada@example.com', 'before'));
    const watch = tap.watch();
    await tap.notifier.send(message('Ada@Example.com', 'first'));
    await tap.notifier.send(message('ada@example.com', 'second'));
    expect(watch.latest('ada@example.com', 'auth.club-invitation')?.text).toBe('second');
    expect(watch.latest('grace@example.com', 'auth.club-invitation')).toBeUndefined();
    watch.stop();
    await tap.notifier.send(message('ada@example.com', 'after'));
    expect(watch.latest('ada@example.com', 'auth.club-invitation')).toBeUndefined();
    expect(delivered).toEqual(['before', 'first', 'second', 'after']);
  });
});
