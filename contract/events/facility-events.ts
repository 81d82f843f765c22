import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/**
 * Events the club service publishes about facilities. Ids, names and settings' names only; the
 * club is the event's tenant.
 */

const facilityFacts = {
  facilityId: z.uuid(),
  clubId: z.uuid(),
  name: z.string(),
  /** The contract's FacilityType name. */
  facilityType: z.string(),
  status: z.enum(['ACTIVE', 'INACTIVE', 'MAINTENANCE']),
  changedBy: z.uuid(),
  changedAt: z.iso.datetime({ offset: true }),
};

export const facilityCreated = defineEvent('facility.created', 1, z.object(facilityFacts));

/** Settings changed (which, not their values), or a closure or maintenance window added or removed. */
export const facilityUpdated = defineEvent(
  'facility.updated',
  1,
  z.object({ ...facilityFacts, fields: z.array(z.string()) }),
);

/** The facility is gone for new bookings; it had no booking open from then on. */
export const facilityDeleted = defineEvent('facility.deleted', 1, z.object(facilityFacts));
