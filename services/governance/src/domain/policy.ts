/**
 * A club's policies: the contract's PolicyCategory, and when a policy is in force. Pure.
 */
export const POLICY_CATEGORIES = [
  'MEMBERSHIP',
  'CONDUCT',
  'FACILITY_USAGE',
  'FINANCIAL',
  'GOVERNANCE',
  'PRIVACY',
  'SAFETY',
  'OTHER',
] as const;
export type PolicyCategory = (typeof POLICY_CATEGORIES)[number];

/** In force: active, its effective date come, its expiry date (if any) not yet. */
export function isInForce(
  policy: { isActive: boolean; effectiveDate: Date; expiryDate: Date | null },
  now: Date,
): boolean {
  return (
    policy.isActive && policy.effectiveDate <= now && (policy.expiryDate === null || now < policy.expiryDate)
  );
}
