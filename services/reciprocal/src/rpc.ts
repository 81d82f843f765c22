import { principalFromCaller } from '@clubland/authz';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { LetterService } from '@clubland/contract/reciprocal/v1/letters';
import { VisitService } from '@clubland/contract/reciprocal/v1/visits';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { ReciprocalDeps, UseCaseContext } from './app/deps.ts';
import { registerAgreementRpc } from './rpc-agreements.ts';
import { registerSettlementRpc } from './rpc-settlement.ts';

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
  router.service(LetterService, {});
  router.service(VisitService, {});
  registerSettlementRpc(router, deps, contextOf);
}
