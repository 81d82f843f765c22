import type { AGREEMENT_STATUSES } from '@clubland/contract/events/reciprocal';

/** The contract's AgreementStatus; the lifecycle is domain/agreement-lifecycle.ts. */
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export const AGREEMENT_TYPES = ['BILATERAL', 'MULTILATERAL', 'NETWORK', 'TEMPORARY'] as const;
export type AgreementType = (typeof AGREEMENT_TYPES)[number];

/**
 * Who pays what when a member of one club visits the other. Amounts are integers in minor units
 * (pence, cents) of `currency`. An item the home club covers is owed by the home club to the host
 * (settlement); an item it does not cover is paid by the member at the host's desk.
 */
export interface CostSharing {
  /** The host's fee per visitor (and per guest) per visit; 0: none. */
  guestFee: number;
  /** ISO 4217, e.g. GBP. */
  currency: string;
  guestFeeCovered: boolean;
  facilityFeesCovered: boolean;
  foodBeverageCovered: boolean;
  /** Of what is covered, the share the home club pays (0-100); the member pays the rest. */
  percentageCovered: number;
  /** A ceiling on what the home club pays per visit; null: none. */
  maxAmountCovered: number | null;
}

/** What two clubs agreed; checked by domain/agreement-terms.ts and applied at the front desk. */
export interface AgreementTerms {
  /** Visits per member per calendar month (host's calendar); null: no limit. */
  maxVisitsPerMonth: number | null;
  /** Visits per member per calendar year; null: no limit. */
  maxVisitsPerYear: number | null;
  /** Longest stay in nights; null: no limit (0: day visits only). */
  maxStayNights: number | null;
  /** The host must be at least this far from the member's home club (great-circle km); null: any. */
  minDistanceKm: number | null;
  /** Members who live in the host's city are refused (they should join it). */
  refuseHostCityResidents: boolean;
  /** Guests a member may bring per visit. */
  guestsPerVisit: number;
  /** Facilities a visitor may use (the contract's FacilityType names); empty: all. */
  allowedFacilities: string[];
  /** Days on which no visit is admitted: 'YYYY-MM-DD', or a range 'YYYY-MM-DD/YYYY-MM-DD'. */
  blackoutDates: string[];
  /** A letter of introduction, approved by the host, is needed for every visit. */
  requiresLetter: boolean;
  costSharing: CostSharing;
  specialConditions: string | null;
}
