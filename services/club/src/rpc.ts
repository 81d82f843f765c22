import { principalFromCaller } from '@clubland/authz';
import { BookingService } from '@clubland/contract/club/v1/bookings';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { ClubOpsDeps, UseCaseContext } from './app/deps.ts';
import { bookingHandlers } from './rpc-bookings.ts';
import { registerClubEventRpc } from './rpc-events.ts';
import { registerFacilityRpc } from './rpc-facilities.ts';

/** Maps protobuf messages to use cases and back, one file per service. Thin on purpose: no rules live here. */
export function registerClubRpc(
  router: ConnectRouter,
  deps: ClubOpsDeps,
  world: Pick<UseCaseContext, 'clock' | 'newId'>,
): void {
  const contextOf = (handler: HandlerContext, caller?: CallerContext): UseCaseContext => ({
    ...world,
    principal: principalFromCaller(caller),
    correlationId: handler.requestHeader.get('x-correlation-id'),
  });
  registerFacilityRpc(router, deps, contextOf);
  router.service(BookingService, bookingHandlers(deps, contextOf));
  registerClubEventRpc(router, deps, contextOf);
}
