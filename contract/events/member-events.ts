import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/** Events the member service publishes. Consumers import these definitions; the schema is the contract. */

export const clubCreated = defineEvent(
  'club.created',
  1,
  z.object({
    clubId: z.uuid(),
    name: z.string(),
    slug: z.string(),
    status: z.enum(['ACTIVE', 'INACTIVE', 'SUSPENDED']),
  }),
);
