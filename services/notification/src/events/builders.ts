import type { EventEnvelope } from '@clubland/bus';
import { notificationCreated } from '@clubland/contract/events/notification';
import type { NotificationRow } from '../store/notification-queries.ts';

/** notification.created for a notice now in the person's inbox: the gateway pushes it to them alone. */
export function notificationCreatedEvent(
  row: NotificationRow,
  context: { correlationId: string | null; clock: () => Date; newId: () => string },
): EventEnvelope {
  return notificationCreated.build(
    {
      tenantId: row.clubId,
      correlationId: context.correlationId,
      data: {
        notificationId: row.id,
        clubId: row.clubId,
        userId: row.userId,
        type: row.type,
        title: row.title,
        body: row.body,
        channel: row.channel,
        channels: row.channels,
        priority: row.priority,
        status: row.status,
        scheduledFor: row.scheduledFor?.toISOString() ?? null,
        createdAt: row.createdAt.toISOString(),
      },
    },
    { clock: context.clock, newId: context.newId },
  );
}
