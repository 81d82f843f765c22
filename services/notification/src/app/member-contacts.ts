import { smsNumberOf } from '../domain/sms-number.ts';

/**
 * How to reach a member: the member service's answer (GetMemberContact), asked when a record is
 * created or its phone or language changes (member.created, member.updated name the fields, never
 * their values), and kept on the person's recipient row: the number their SMS go to, the language
 * their notices are written in.
 */
export interface MemberContacts {
  contactOf(clubId: string, memberId: string): Promise<MemberContact | null>;
}

export interface MemberContact {
  userId: string | null;
  /** E.164, or null: none given, or none an SMS can go to for certain (domain/sms-number.ts). */
  smsNumber: string | null;
  /** A BCP 47 tag, or null when the member chose none. */
  locale: string | null;
}

/** The one call used of a `createRpcClient(MemberService, transport)` client. */
export interface MemberContactClient {
  getMemberContact(request: { clubId: string; id: string }): Promise<{
    found: boolean;
    userId: string;
    phone: string;
    preferredLanguage: string;
  }>;
}

/** No member service to ask (a test, a service alone): nobody's phone or language is known. */
export const unknownContacts: MemberContacts = { contactOf: async () => null };

/** A failed call throws: the event that asked is delivered again, so no change is lost. */
export function createMemberContacts(client: MemberContactClient): MemberContacts {
  return {
    async contactOf(clubId, memberId) {
      const answer = await client.getMemberContact({ clubId, id: memberId });
      if (!answer.found) return null;
      return {
        userId: answer.userId === '' ? null : answer.userId,
        smsNumber: smsNumberOf(answer.phone),
        locale: answer.preferredLanguage === '' ? null : answer.preferredLanguage,
      };
    },
  };
}
