import { describe, expect, it } from 'vitest';
import type { CostSharing } from './agreement.ts';
import { checkCharges, shareCosts } from './cost-sharing.ts';

const NOTHING_COVERED: CostSharing = {
  guestFee: 2500,
  currency: 'GBP',
  guestFeeCovered: false,
  facilityFeesCovered: false,
  foodBeverageCovered: false,
  percentageCovered: 0,
  maxAmountCovered: null,
};

const charges = { guestCount: 2, facilityFees: 4000, foodBeverage: 3150, other: 700 };

describe('cost sharing', () => {
  it('charges the guest fee for the member and each guest, and the member pays all when nothing is covered', () => {
    expect(shareCosts(NOTHING_COVERED, charges)).toEqual({
      guestFee: 7500,
      facilityFees: 4000,
      foodBeverage: 3150,
      other: 700,
      total: 15_350,
      currency: 'GBP',
      homeClubShare: 0,
      memberShare: 15_350,
    });
  });

  it('has the home club pay the covered percentage of the covered items only; other is never covered', () => {
    const costs = shareCosts(
      { ...NOTHING_COVERED, guestFeeCovered: true, foodBeverageCovered: true, percentageCovered: 50 },
      charges,
    );
    // (7500 + 3150) × 50% = 5325
    expect(costs.homeClubShare).toBe(5325);
    expect(costs.memberShare).toBe(15_350 - 5325);
  });

  it('caps the home club share at maxAmountCovered', () => {
    const costs = shareCosts(
      {
        ...NOTHING_COVERED,
        guestFeeCovered: true,
        facilityFeesCovered: true,
        foodBeverageCovered: true,
        percentageCovered: 100,
        maxAmountCovered: 10_000,
      },
      charges,
    );
    expect(costs.homeClubShare).toBe(10_000);
    expect(costs.memberShare).toBe(5350);
  });

  it('rounds the share half up to a whole minor unit, once, so the shares add up to the total', () => {
    const sharing = { ...NOTHING_COVERED, guestFee: 0, foodBeverageCovered: true, percentageCovered: 33 };
    // 1050 × 33% = 346.5 → 347; 1049 × 33% = 346.17 → 346
    expect(
      shareCosts(sharing, { guestCount: 0, facilityFees: 0, foodBeverage: 1050, other: 0 }),
    ).toMatchObject({ homeClubShare: 347, memberShare: 703, total: 1050 });
    expect(
      shareCosts(sharing, { guestCount: 0, facilityFees: 0, foodBeverage: 1049, other: 0 }).homeClubShare,
    ).toBe(346);
  });

  it('refuses fractional or negative amounts, naming the field', () => {
    expect(checkCharges({ ...charges, foodBeverage: 10.5 })).toMatchObject({
      ok: false,
      field: 'foodBeverage',
    });
    expect(checkCharges({ ...charges, other: -1 })).toMatchObject({ ok: false, field: 'other' });
    expect(checkCharges(charges)).toEqual({ ok: true });
  });
});
