import { create } from '@bufbuild/protobuf';
import { callerMessageOf, type Principal } from '@clubland/authz';
import { type CallerContext, CallerContextSchema } from '@clubland/contract/member/v1/caller';

/**
 * The CallerContext message a service sends when it asks another on the caller's behalf (the callee
 * rebuilds the principal with principalFromCaller and decides what they may do): one mapping,
 * authz's callerMessageOf, as a protobuf message.
 */
export function callerContextOf(principal: Principal): CallerContext {
  return create(CallerContextSchema, callerMessageOf(principal));
}
