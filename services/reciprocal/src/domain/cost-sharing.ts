import type { CostSharing } from './agreement.ts';

/** What the visitor ran up at the host, minor units of the agreement's currency. */
export interface VisitCharges {
  guestCount: number;
  facilityFees: number;
  foodBeverage: number;
  other: number;
}

/** A visit's costs under the agreement's cost sharing; minor units, integers, shares summing to total. */
export interface SharedCosts {
  guestFee: number;
  facilityFees: number;
  foodBeverage: number;
  other: number;
  total: number;
  currency: string;
  /** What the home club owes the host (settlement). */
  homeClubShare: number;
  /** What the member paid at the host's desk. */
  memberShare: number;
}

export type ChargesCheck = { ok: true } | { ok: false; field: keyof VisitCharges; message: string };

/** Amounts must be whole minor units, not negative, and below 10^12 (a billion pounds is a typo). */
export function checkCharges(charges: VisitCharges): ChargesCheck {
  for (const field of ['facilityFees', 'foodBeverage', 'other'] as const) {
    const value = charges[field];
    if (!Number.isSafeInteger(value) || value < 0 || value >= 1e12) {
      return { ok: false, field, message: `${field} must be a whole number of minor units, 0 or more` };
    }
  }
  return { ok: true };
}

/**
 * Applies the agreement's cost sharing to a visit:
 * - the guest fee is the agreement's fee per visitor, for the member and each guest: fee × (1 + guests);
 * - the covered items (guest fee, facility fees, food and beverage, as the flags say; `other` is never
 *   covered) are summed, and the home club pays percentageCovered % of that sum, rounded half up to a
 *   whole minor unit (the one rounding, done once on the sum so the shares always add up to the total),
 *   capped at maxAmountCovered;
 * - the member pays the rest: total − homeClubShare.
 * Pure and integer-only: the same visit always gives the same split (settlement reproduces it).
 */
export function shareCosts(sharing: CostSharing, charges: VisitCharges): SharedCosts {
  const guestFee = sharing.guestFee * (1 + charges.guestCount);
  const total = guestFee + charges.facilityFees + charges.foodBeverage + charges.other;
  const covered =
    (sharing.guestFeeCovered ? guestFee : 0) +
    (sharing.facilityFeesCovered ? charges.facilityFees : 0) +
    (sharing.foodBeverageCovered ? charges.foodBeverage : 0);
  const percentage = Math.min(100, Math.max(0, sharing.percentageCovered));
  // Half up, in integers: floor((covered × pct + 50) / 100).
  const share = Math.floor((covered * percentage + 50) / 100);
  const homeClubShare =
    sharing.maxAmountCovered === null ? share : Math.min(share, Math.max(0, sharing.maxAmountCovered));
  return {
    guestFee,
    facilityFees: charges.facilityFees,
    foodBeverage: charges.foodBeverage,
    other: charges.other,
    total,
    currency: sharing.currency,
    homeClubShare,
    memberShare: total - homeClubShare,
  };
}
