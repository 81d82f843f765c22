import { can } from '@clubland/authz';
import { ClubError, notFound } from '@clubland/errors';
import { createDeliveryQueries, type DeliveryRow } from '../store/delivery-queries.ts';
import { createNotificationQueries } from '../store/notification-queries.ts';
import type { NotificationDeps, UseCaseContext } from './deps.ts';
import { idOf, signedIn } from './inbox.ts';

/**
 * A notification's delivery status per channel, for its person and its club's staff
 * (notification:send there); a failed delivery tried again by staff. Anyone else finds nothing
 * (NOT_FOUND, as for an unknown id).
 */
export async function listDeliveries(
  deps: NotificationDeps,
  context: UseCaseContext,
  notificationId: string,
): Promise<DeliveryRow[]> {
  const principal = signedIn(context.principal);
  const id = idOf(notificationId, 'notificationId');
  return deps.db.transaction(async (tx) => {
    const notification = await createNotificationQueries(tx).find(id);
    const mayRead =
      notification !== null &&
      (notification.userId === principal.userId || can(principal, 'notification:send', notification.clubId));
    if (!mayRead) throw notFound('notification', notificationId);
    return createDeliveryQueries(tx).ofNotification(id);
  });
}

export async function retryDelivery(
  deps: NotificationDeps,
  context: UseCaseContext,
  deliveryId: string,
): Promise<DeliveryRow> {
  const principal = signedIn(context.principal);
  const id = idOf(deliveryId);
  const retried = await deps.db.transaction(async (tx) => {
    const deliveries = createDeliveryQueries(tx);
    const delivery = await deliveries.find(id);
    if (!delivery || !can(principal, 'notification:send', delivery.clubId))
      throw notFound('delivery', deliveryId);
    const row = await deliveries.retry(id, context.clock());
    if (!row)
      throw new ClubError(
        'entity.conflict',
        `only a FAILED delivery is retried; this one is ${delivery.status}`,
      );
    return row;
  });
  deps.deliveriesWritten();
  return retried;
}
