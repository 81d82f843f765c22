import { principalFromCaller } from '@clubland/authz';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { VisitService } from '@clubland/contract/reciprocal/v1/visits';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { ReciprocalDeps, UseCaseContext } from './app/deps.ts';
import { registerAgreementRpc } from './rpc-agreements.ts';
import { deskHandlers } from './rpc-desk.ts';
import { registerLetterRpc } from './rpc-letters.ts';
import { registerSettlementRpc } from './rpc-settlement.ts';
import { visitHandlers } from './rpc-visits.ts';

/** Maps protobuf messages to use cases and back, one file per service. Thin on purpose: no rules live here. */
export function registerReciprocalRpc(
  router: ConnectRouter,
  deps: ReciprocalDeps,
  world: Pick<UseCaseContext, 'clock' | 'newId'>,
): void {
  const contextOf = (handler: HandlerContext, caller?: CallerContext): UseCaseContext => ({
    ...world,
    principal: principalFromCaller(caller),
    correlationId: handler.requestHeader.get('x-correlation-id'),
  });
  registerAgreementRpc(router, deps, contextOf);
  registerLetterRpc(router, deps, contextOf);
  router.service(VisitService, { ...deskHandlers(deps, contextOf), ...visitHandlers(deps, contextOf) });
  registerSettlementRpc(router, deps, contextOf);
}
