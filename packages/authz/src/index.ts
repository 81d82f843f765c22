export {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TYPE,
  type AccessTokenClaims,
} from './access-token.ts';
export { authorize, can, canGrantRole, type Principal, permissionsAt } from './authorize.ts';
export { type CallerMessage, callerMessageOf, principalFromCaller } from './caller-principal.ts';
export { type AccountStanding, covers } from './covers.ts';
export {
  createHankoVerifier,
  type HankoIdentity,
  type HankoVerifier,
  type HankoVerifierOptions,
} from './hanko-verifier.ts';
export {
  isPermission,
  isRole,
  PERMISSIONS,
  type Permission,
  ROLE_PERMISSIONS,
  ROLES,
  type Role,
  type RoleGrant,
} from './permissions.ts';
export {
  type AccessChange,
  type AuthzChange,
  authzVersionKey,
  authzVersions,
  REVOKED_SESSIONS_CHANNEL,
  type RevocationStore,
  revokedSessionKey,
  sessionRevocations,
  type WatchedRevocations,
  type WatchOptions,
  watchSessionRevocations,
} from './revocation.ts';
export { type SignAccessTokenOptions, signAccessToken } from './sign.ts';
export {
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  CLOCK_TOLERANCE_SECONDS,
  createAccessTokenVerifier,
  type VerifiedAccessToken,
} from './token-verifier.ts';
