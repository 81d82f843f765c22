import { goesToDigest, nextDigestAt } from './digest.ts';
import {
  MANDATORY_CATEGORIES,
  type NotificationCategory,
  type NotificationPriority,
  type PersonalChannel,
} from './notification.ts';
import type { NotificationPreferences } from './preferences.ts';
import { deliverAt } from './quiet-hours.ts';

/**
 * For one notification and one member: which channels it goes on and when. The order of the
 * questions is the order of this function: may we reach them there at all (an address, the
 * member's switches), should it wait for the digest, should it wait for quiet hours to end.
 * A delivery that waits is stored with its `at` and sent then, once (the idempotency key of the
 * notification does not change with the time).
 */

/** The channels a message uses when no one chose them: more urgent, more channels. */
export const DEFAULT_CHANNELS: Readonly<Record<NotificationPriority, readonly PersonalChannel[]>> = {
  LOW: ['IN_APP', 'EMAIL'],
  NORMAL: ['IN_APP', 'EMAIL', 'PUSH'],
  HIGH: ['IN_APP', 'EMAIL', 'PUSH'],
  CRITICAL: ['IN_APP', 'EMAIL', 'PUSH', 'SMS'],
};

/** Security mail (verification, reset, invitation) goes by email only: it holds a link to click. */
const SECURITY_CHANNELS: readonly PersonalChannel[] = ['EMAIL'];

export type SkipReason = 'unreachable' | 'channel_off' | 'category_muted';

export type ChannelDecision =
  /** Send at `at` (`now`, or the end of quiet hours when `heldByQuietHours`). */
  | { channel: PersonalChannel; action: 'SEND'; at: Date; heldByQuietHours: boolean }
  /** Part of the digest due at `at`. */
  | { channel: PersonalChannel; action: 'DIGEST'; at: Date }
  | { channel: PersonalChannel; action: 'SKIP'; reason: SkipReason };

export interface DeliveryQuestion {
  now: Date;
  category: NotificationCategory;
  priority: NotificationPriority;
  preferences: NotificationPreferences;
  /** Where the member can be reached: IN_APP always; EMAIL with an address; SMS with a phone; PUSH with a device. */
  reachable: readonly PersonalChannel[];
  /** Channels chosen by the sender (an admin's sendNotification names one); default: DEFAULT_CHANNELS. */
  channels?: readonly PersonalChannel[];
}

export function planDeliveries(question: DeliveryQuestion): ChannelDecision[] {
  const { now, category, priority, preferences } = question;
  const mandatory = MANDATORY_CATEGORIES.has(category);
  const channels =
    question.channels ?? (category === 'SECURITY' ? SECURITY_CHANNELS : DEFAULT_CHANNELS[priority]);
  return [...new Set(channels)].map((channel): ChannelDecision => {
    if (!question.reachable.includes(channel)) return { channel, action: 'SKIP', reason: 'unreachable' };
    if (!mandatory) {
      if (!preferences.channels[channel]) return { channel, action: 'SKIP', reason: 'channel_off' };
      if ((preferences.mutedChannels[category] ?? []).includes(channel)) {
        return { channel, action: 'SKIP', reason: 'category_muted' };
      }
    }
    if (goesToDigest(preferences, category, priority, channel)) {
      // A digest time the member set inside their own quiet hours waits for those to end.
      return {
        channel,
        action: 'DIGEST',
        at: deliverAt(nextDigestAt(now, preferences), preferences, priority, channel),
      };
    }
    // Security mail is awaited by the person who asked for it: it never waits for morning.
    const at = mandatory ? now : deliverAt(now, preferences, priority, channel);
    return { channel, action: 'SEND', at, heldByQuietHours: at.getTime() !== now.getTime() };
  });
}
