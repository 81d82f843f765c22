/**
 * The default texts of every notification the service sends on its own, per template key (the
 * event type, or the auth service's mail name) and locale, in ICU MessageFormat. A club may
 * override one with a template row of the same name; these are what it gets until it does.
 * French uses the typographic apostrophe (’): in ICU a straight one can open a quoted run.
 *
 * Variables: what event-rules.ts puts in `values` (from the event's payload), plus `clubName`
 * (always) and the lookups the plan names (`otherClubName`, `eventTitle`) that the caller fills;
 * an unfilled lookup falls back to a neutral phrase (LOOKUP_FALLBACKS).
 */

export const CATALOGUE_LOCALES = ['en', 'fr'] as const;
export type CatalogueLocale = (typeof CATALOGUE_LOCALES)[number];
export const DEFAULT_LOCALE: CatalogueLocale = 'en';

export interface MessageTemplate {
  /** Subject, push title, in-app title. */
  title: string;
  /** Text body (email text part, in-app body; SMS and push use it too, shortened). */
  body: string;
  /** The email button's label, when the message links somewhere. */
  action?: string;
}

export const TEMPLATE_KEYS = [
  'auth.verify-email',
  'auth.reset-password',
  'auth.club-invitation',
  'member.created',
  'member.status_changed',
  'user.role_granted',
  'club.status_changed',
  'booking.status_changed',
  'club_event.status_changed',
  'rsvp.status_changed',
  'agreement.status_changed',
  'letter.status_changed',
  'visit.status_changed',
  'ledger.entry_status_changed',
  'proposal.status_changed',
  'policy.changed',
  'digest',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

const roleEn =
  '{role, select, CLUB_ADMIN {an administrator} STAFF {a member of staff} MEMBER {a member} other {{role}}}';
const roleFr =
  '{role, select, CLUB_ADMIN {administrateur} STAFF {membre du personnel} MEMBER {membre} other {{role}}}';

export const DEFAULT_TEMPLATES: Readonly<
  Record<TemplateKey, Readonly<Record<CatalogueLocale, MessageTemplate>>>
> = {
  'auth.verify-email': {
    en: {
      title: 'Confirm your Clubland email address',
      body: 'Hello {firstName},\n\nPlease confirm your email address by opening this link:\n{link}\n\nThe link works once and expires on {expiresAt, date, long} at {expiresAt, time, short}. If you did not create a Clubland account, ignore this message.',
      action: 'Confirm my email',
    },
    fr: {
      title: 'Confirmez votre adresse e-mail Clubland',
      body: 'Bonjour {firstName},\n\nVeuillez confirmer votre adresse e-mail en ouvrant ce lien :\n{link}\n\nLe lien ne sert qu’une fois et expire le {expiresAt, date, long} à {expiresAt, time, short}. Si vous n’avez pas créé de compte Clubland, ignorez ce message.',
      action: 'Confirmer mon e-mail',
    },
  },
  'auth.reset-password': {
    en: {
      title: 'Reset your Clubland password',
      body: 'Hello {firstName},\n\nSomeone (we hope you) asked to reset your password. Open this link to choose a new one:\n{link}\n\nThe link works once and expires on {expiresAt, date, long} at {expiresAt, time, short}. If you did not ask for this, ignore this message: your password stays as it is.',
      action: 'Choose a new password',
    },
    fr: {
      title: 'Réinitialisez votre mot de passe Clubland',
      body: 'Bonjour {firstName},\n\nQuelqu’un (vous, nous l’espérons) a demandé à réinitialiser votre mot de passe. Ouvrez ce lien pour en choisir un nouveau :\n{link}\n\nLe lien ne sert qu’une fois et expire le {expiresAt, date, long} à {expiresAt, time, short}. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.',
      action: 'Choisir un nouveau mot de passe',
    },
  },
  'auth.club-invitation': {
    en: {
      title: 'You are invited to {clubName} on Clubland',
      body: `Hello,\n\nYou are invited to join {clubName} on Clubland as ${roleEn}. Open this link to accept (you choose a password, or sign in with the one you have):\n{link}\n\nThe link works once and expires on {expiresAt, date, long} at {expiresAt, time, short}. If you did not expect this, ignore this message.`,
      action: 'Accept the invitation',
    },
    fr: {
      title: 'Vous êtes invité à rejoindre {clubName} sur Clubland',
      body: `Bonjour,\n\nVous êtes invité à rejoindre {clubName} sur Clubland en tant que ${roleFr}. Ouvrez ce lien pour accepter (vous choisissez un mot de passe, ou vous vous connectez avec le vôtre) :\n{link}\n\nLe lien ne sert qu’une fois et expire le {expiresAt, date, long} à {expiresAt, time, short}. Si vous ne vous y attendiez pas, ignorez ce message.`,
      action: 'Accepter l’invitation',
    },
  },
  'member.created': {
    en: {
      title: 'Welcome to {clubName}',
      body: 'You are now on the roster of {clubName} ({membershipType}), with membership number {memberNumber}.',
    },
    fr: {
      title: 'Bienvenue à {clubName}',
      body: 'Vous figurez désormais parmi les membres de {clubName} ({membershipType}), sous le numéro {memberNumber}.',
    },
  },
  'member.status_changed': {
    en: {
      title:
        '{to, select, ACTIVE {Your membership of {clubName} is active} SUSPENDED {Your membership of {clubName} is suspended} EXPIRED {Your membership of {clubName} has expired} INACTIVE {Your membership of {clubName} has ended} other {Your membership of {clubName} changed}}',
      body: '{to, select, ACTIVE {{from, select, PENDING {Your application was approved: welcome.} SUSPENDED {Your membership was reinstated.} EXPIRED {Your membership was renewed.} other {Your membership is active.}}} SUSPENDED {Your membership was suspended.{reason, select, none {} other { Reason: {reason}}}} EXPIRED {Your membership has expired. Contact the club to renew it.} INACTIVE {Your membership has ended.{reason, select, none {} other { Reason: {reason}}}} other {Your membership is now {to}.}}',
    },
    fr: {
      title:
        '{to, select, ACTIVE {Votre adhésion à {clubName} est active} SUSPENDED {Votre adhésion à {clubName} est suspendue} EXPIRED {Votre adhésion à {clubName} a expiré} INACTIVE {Votre adhésion à {clubName} a pris fin} other {Votre adhésion à {clubName} a changé}}',
      body: '{to, select, ACTIVE {{from, select, PENDING {Votre candidature a été acceptée : bienvenue.} SUSPENDED {Votre adhésion a été rétablie.} EXPIRED {Votre adhésion a été renouvelée.} other {Votre adhésion est active.}}} SUSPENDED {Votre adhésion a été suspendue.{reason, select, none {} other { Motif : {reason}}}} EXPIRED {Votre adhésion a expiré. Contactez le club pour la renouveler.} INACTIVE {Votre adhésion a pris fin.{reason, select, none {} other { Motif : {reason}}}} other {Votre adhésion est désormais {to}.}}',
    },
  },
  'user.role_granted': {
    en: {
      title:
        'You are now {role, select, CLUB_ADMIN {an administrator} STAFF {staff} other {{role}}} at {clubName}',
      body: `You were made ${roleEn} at {clubName}. Sign in again to see what this opens to you.`,
    },
    fr: {
      title:
        'Vous êtes désormais {role, select, CLUB_ADMIN {administrateur} STAFF {membre du personnel} other {{role}}} du club {clubName}',
      body: `Vous avez été nommé ${roleFr} du club {clubName}. Reconnectez-vous pour voir ce que cela vous ouvre.`,
    },
  },
  'club.status_changed': {
    en: {
      title:
        '{clubName} is now {to, select, ACTIVE {active} SUSPENDED {suspended} INACTIVE {inactive} other {{to}}}',
      body: 'The Clubland network changed the status of {clubName} from {from} to {to}.{reason, select, none {} other { Reason: {reason}}}',
    },
    fr: {
      title:
        '{clubName} est désormais {to, select, ACTIVE {actif} SUSPENDED {suspendu} INACTIVE {inactif} other {{to}}}',
      body: 'Le réseau Clubland a fait passer {clubName} de {from} à {to}.{reason, select, none {} other { Motif : {reason}}}',
    },
  },
  'booking.status_changed': {
    en: {
      title:
        '{to, select, REQUESTED {Booking requested: {facilityName}} CONFIRMED {Booking confirmed: {facilityName}} CANCELLED {Booking cancelled: {facilityName}} NO_SHOW {Missed booking: {facilityName}} other {Booking update: {facilityName}}}',
      body: '{to, select, REQUESTED {Your request for {facilityName} on {startsAt, date, full}, {startsAt, time, short} to {endsAt, time, short} is with {clubName}.} CONFIRMED {{facilityName} is yours on {startsAt, date, full}, {startsAt, time, short} to {endsAt, time, short}{guestCount, plural, =0 {} one {, with # guest} other {, with # guests}}.} CANCELLED {Your booking of {facilityName} on {startsAt, date, full} at {startsAt, time, short} was cancelled.{reason, select, none {} other { Reason: {reason}}}} NO_SHOW {You were marked absent from your booking of {facilityName} on {startsAt, date, full} at {startsAt, time, short}.} other {Your booking of {facilityName} on {startsAt, date, full} is now {to}.}}',
      action: 'View my bookings',
    },
    fr: {
      title:
        '{to, select, REQUESTED {Réservation demandée : {facilityName}} CONFIRMED {Réservation confirmée : {facilityName}} CANCELLED {Réservation annulée : {facilityName}} NO_SHOW {Réservation manquée : {facilityName}} other {Réservation modifiée : {facilityName}}}',
      body: '{to, select, REQUESTED {Votre demande pour {facilityName} le {startsAt, date, full}, de {startsAt, time, short} à {endsAt, time, short}, est entre les mains de {clubName}.} CONFIRMED {{facilityName} vous est réservé le {startsAt, date, full}, de {startsAt, time, short} à {endsAt, time, short}{guestCount, plural, =0 {} one {, avec # invité} other {, avec # invités}}.} CANCELLED {Votre réservation de {facilityName} le {startsAt, date, full} à {startsAt, time, short} a été annulée.{reason, select, none {} other { Motif : {reason}}}} NO_SHOW {Vous avez été noté absent de votre réservation de {facilityName} le {startsAt, date, full} à {startsAt, time, short}.} other {Votre réservation de {facilityName} le {startsAt, date, full} est désormais {to}.}}',
      action: 'Voir mes réservations',
    },
  },
  'club_event.status_changed': {
    en: {
      title:
        '{to, select, REGISTRATION_OPEN {Registration is open: {eventTitle}} CANCELLED {Cancelled: {eventTitle}} other {{eventTitle}: {to}}}',
      body: '{to, select, REGISTRATION_OPEN {Registration is open for {eventTitle} at {clubName}, on {startsAt, date, full} at {startsAt, time, short}.} CANCELLED {{eventTitle} at {clubName}, planned for {startsAt, date, full}, is cancelled.{reason, select, none {} other { Reason: {reason}}}} other {{eventTitle} at {clubName} is now {to}.}}',
      action: 'See the event',
    },
    fr: {
      title:
        '{to, select, REGISTRATION_OPEN {Inscriptions ouvertes : {eventTitle}} CANCELLED {Annulé : {eventTitle}} other {{eventTitle} : {to}}}',
      body: '{to, select, REGISTRATION_OPEN {Les inscriptions sont ouvertes pour {eventTitle} à {clubName}, le {startsAt, date, full} à {startsAt, time, short}.} CANCELLED {{eventTitle} à {clubName}, prévu le {startsAt, date, full}, est annulé.{reason, select, none {} other { Motif : {reason}}}} other {{eventTitle} à {clubName} est désormais {to}.}}',
      action: 'Voir l’événement',
    },
  },
  'rsvp.status_changed': {
    en: {
      title:
        '{to, select, CONFIRMED {You are in: {eventTitle}} WAITLISTED {On the waiting list: {eventTitle}} CANCELLED {RSVP cancelled: {eventTitle}} other {RSVP update: {eventTitle}}}',
      body: '{to, select, CONFIRMED {{from, select, WAITLISTED {A place opened up: } other {}}your {seats, plural, one {seat} other {# seats}} for {eventTitle} at {clubName} {seats, plural, one {is} other {are}} confirmed.} WAITLISTED {{eventTitle} at {clubName} is full for now: you are on the waiting list, and we will tell you if a place opens up.} CANCELLED {Your RSVP for {eventTitle} at {clubName} was cancelled.{reason, select, none {} other { Reason: {reason}}}} other {Your RSVP for {eventTitle} is now {to}.}}',
    },
    fr: {
      title:
        '{to, select, CONFIRMED {C’est confirmé : {eventTitle}} WAITLISTED {Liste d’attente : {eventTitle}} CANCELLED {Inscription annulée : {eventTitle}} other {Inscription modifiée : {eventTitle}}}',
      body: '{to, select, CONFIRMED {{from, select, WAITLISTED {Une place s’est libérée : } other {}}{seats, plural, one {votre place} other {vos # places}} pour {eventTitle} à {clubName} {seats, plural, one {est confirmée} other {sont confirmées}}.} WAITLISTED {{eventTitle} à {clubName} est complet pour l’instant : vous êtes sur la liste d’attente et serez prévenu si une place se libère.} CANCELLED {Votre inscription à {eventTitle} à {clubName} a été annulée.{reason, select, none {} other { Motif : {reason}}}} other {Votre inscription à {eventTitle} est désormais {to}.}}',
    },
  },
  'proposal.status_changed': {
    en: {
      title:
        '{to, select, VOTING_OPEN {Network vote open} APPROVED {Network vote carried} REJECTED {Network vote lost} WITHDRAWN {Network vote withdrawn} EXPIRED {Proposal expired} other {Proposal {to}}}: {title}',
      body: '{to, select, VOTING_OPEN {{clubName} puts “{title}” to the network’s vote, open until {votingEndsAt, date, long} at {votingEndsAt, time, short}. Your club has one vote, cast by one of its officers.} APPROVED {“{title}”, proposed by {clubName}, was approved: {yay} in favour, {nay} against, {abstain} abstaining.} REJECTED {“{title}”, proposed by {clubName}, was rejected: {yay} in favour, {nay} against, {abstain} abstaining.{reason, select, none {} other { {reason}}}} WITHDRAWN {{clubName} withdrew “{title}” from the vote.{reason, select, none {} other { Reason: {reason}}}} EXPIRED {“{title}” expired: the network did not open it to the vote before its end time.} other {“{title}” is now {to}.}}',
    },
    fr: {
      title:
        '{to, select, VOTING_OPEN {Vote du réseau ouvert} APPROVED {Vote du réseau adopté} REJECTED {Vote du réseau rejeté} WITHDRAWN {Vote du réseau retiré} EXPIRED {Proposition expirée} other {Proposition {to}}} : {title}',
      body: '{to, select, VOTING_OPEN {{clubName} soumet « {title} » au vote du réseau, ouvert jusqu’au {votingEndsAt, date, long} à {votingEndsAt, time, short}. Votre club dispose d’une voix, exprimée par l’un de ses responsables.} APPROVED {« {title} », proposé par {clubName}, a été adopté : {yay} pour, {nay} contre, {abstain} abstentions.} REJECTED {« {title} », proposé par {clubName}, a été rejeté : {yay} pour, {nay} contre, {abstain} abstentions.{reason, select, none {} other { {reason}}}} WITHDRAWN {{clubName} a retiré « {title} » du vote.{reason, select, none {} other { Motif : {reason}}}} EXPIRED {« {title} » a expiré : le réseau ne l’a pas soumis au vote avant sa date de fin.} other {« {title} » est désormais {to}.}}',
    },
  },
  'policy.changed': {
    en: {
      title: 'Please read and acknowledge: {name}',
      body: '{clubName} asks its members to read and acknowledge its policy “{name}” (version {version}), in force from {effectiveDate, date, long}.',
    },
    fr: {
      title: 'À lire et à approuver : {name}',
      body: '{clubName} demande à ses membres de lire et d’approuver son règlement « {name} » (version {version}), en vigueur à partir du {effectiveDate, date, long}.',
    },
  },
  'agreement.status_changed': {
    en: {
      title:
        'Reciprocal agreement with {otherClubName}: {to, select, PENDING {proposed} APPROVED {approved} ACTIVE {in force} REJECTED {rejected} SUSPENDED {suspended} EXPIRED {expired} CANCELLED {cancelled} TERMINATED {terminated} other {{to}}}',
      body: '{to, select, PENDING {{otherClubName} proposes a reciprocal agreement to {clubName}, from {startsOn, date, long}. It awaits your decision.} APPROVED {The reciprocal agreement between {clubName} and {otherClubName} was approved.} ACTIVE {The reciprocal agreement between {clubName} and {otherClubName} is in force from {startsOn, date, long}.} REJECTED {The reciprocal agreement between {clubName} and {otherClubName} was rejected.{reason, select, none {} other { Reason: {reason}}}} other {The reciprocal agreement between {clubName} and {otherClubName} is now {to}.{reason, select, none {} other { Reason: {reason}}}}}',
    },
    fr: {
      title:
        'Accord de réciprocité avec {otherClubName} : {to, select, PENDING {proposé} APPROVED {approuvé} ACTIVE {en vigueur} REJECTED {rejeté} SUSPENDED {suspendu} EXPIRED {expiré} CANCELLED {annulé} TERMINATED {résilié} other {{to}}}',
      body: '{to, select, PENDING {{otherClubName} propose un accord de réciprocité à {clubName}, à partir du {startsOn, date, long}. Il attend votre décision.} APPROVED {L’accord de réciprocité entre {clubName} et {otherClubName} a été approuvé.} ACTIVE {L’accord de réciprocité entre {clubName} et {otherClubName} est en vigueur à partir du {startsOn, date, long}.} REJECTED {L’accord de réciprocité entre {clubName} et {otherClubName} a été rejeté.{reason, select, none {} other { Motif : {reason}}}} other {L’accord de réciprocité entre {clubName} et {otherClubName} est désormais {to}.{reason, select, none {} other { Motif : {reason}}}}}',
    },
  },
  'letter.status_changed': {
    en: {
      title:
        '{to, select, PENDING {Letter of introduction requested} APPROVED {Your letter of introduction to {otherClubName} is ready} DECLINED {Letter of introduction declined} REVOKED {Letter of introduction revoked} EXPIRED {Letter of introduction expired} other {Letter of introduction: {to}}}',
      body: '{to, select, PENDING {{clubName} has your request for a letter of introduction to {otherClubName}, for {arrivesOn, date, long} to {departsOn, date, long}.} APPROVED {{clubName} introduces you to {otherClubName} for your stay from {arrivesOn, date, long} to {departsOn, date, long}. Enjoy your visit.} DECLINED {{clubName} declined your letter of introduction to {otherClubName}.{reason, select, none {} other { Reason: {reason}}}} REVOKED {Your letter of introduction to {otherClubName} was revoked.{reason, select, none {} other { Reason: {reason}}}} EXPIRED {Your letter of introduction to {otherClubName} has expired.} other {Your letter of introduction to {otherClubName} is now {to}.}}',
    },
    fr: {
      title:
        '{to, select, PENDING {Lettre d’introduction demandée} APPROVED {Votre lettre d’introduction pour {otherClubName} est prête} DECLINED {Lettre d’introduction refusée} REVOKED {Lettre d’introduction révoquée} EXPIRED {Lettre d’introduction expirée} other {Lettre d’introduction : {to}}}',
      body: '{to, select, PENDING {{clubName} a reçu votre demande de lettre d’introduction pour {otherClubName}, du {arrivesOn, date, long} au {departsOn, date, long}.} APPROVED {{clubName} vous recommande à {otherClubName} pour votre séjour du {arrivesOn, date, long} au {departsOn, date, long}. Bonne visite.} DECLINED {{clubName} a refusé votre lettre d’introduction pour {otherClubName}.{reason, select, none {} other { Motif : {reason}}}} REVOKED {Votre lettre d’introduction pour {otherClubName} a été révoquée.{reason, select, none {} other { Motif : {reason}}}} EXPIRED {Votre lettre d’introduction pour {otherClubName} a expiré.} other {Votre lettre d’introduction pour {otherClubName} est désormais {to}.}}',
    },
  },
  'visit.status_changed': {
    en: {
      title:
        '{to, select, CHECKED_IN {Welcome to {otherClubName}} CANCELLED {Visit cancelled} NO_SHOW {Missed visit} other {Visit update}}',
      body: '{to, select, CHECKED_IN {You are checked in at {otherClubName}{guestCount, plural, =0 {} one {, with # guest} other {, with # guests}}. Enjoy your visit.} CANCELLED {Your visit to {otherClubName} was cancelled.{reason, select, none {} other { Reason: {reason}}}} NO_SHOW {{otherClubName} marked you absent for your planned visit.} other {Your visit to {otherClubName} is now {to}.}}',
    },
    fr: {
      title:
        '{to, select, CHECKED_IN {Bienvenue à {otherClubName}} CANCELLED {Visite annulée} NO_SHOW {Visite manquée} other {Visite modifiée}}',
      body: '{to, select, CHECKED_IN {Votre arrivée à {otherClubName} est enregistrée{guestCount, plural, =0 {} one {, avec # invité} other {, avec # invités}}. Bonne visite.} CANCELLED {Votre visite à {otherClubName} a été annulée.{reason, select, none {} other { Motif : {reason}}}} NO_SHOW {{otherClubName} vous a noté absent pour votre visite prévue.} other {Votre visite à {otherClubName} est désormais {to}.}}',
    },
  },
  'ledger.entry_status_changed': {
    en: {
      title: 'A ledger entry of {clubName} failed',
      body: 'The {entityKind, select, agreement {agreement} letter {letter} visit {visit} settlement {settlement} other {{entityKind}}} entry of {clubName} could not be written to the ledger: {error}. It will not be retried on its own.',
    },
    fr: {
      title: 'Une écriture au registre du club {clubName} a échoué',
      body: 'L’écriture {entityKind, select, agreement {d’un accord} letter {d’une lettre} visit {d’une visite} settlement {d’un règlement} other {{entityKind}}} du club {clubName} n’a pas pu être inscrite au registre : {error}. Elle ne sera pas retentée d’elle-même.',
    },
  },
  digest: {
    en: {
      title: '{count, plural, one {# new notification} other {# new notifications}} from {clubName}',
      body: 'Here is what happened since your last summary.',
    },
    fr: {
      title: '{clubName} : {count, plural, one {# nouvelle notification} other {# nouvelles notifications}}',
      body: 'Voici ce qui s’est passé depuis votre dernier récapitulatif.',
    },
  },
};

/** What an unfilled lookup reads as, rather than failing the whole message. */
export const LOOKUP_FALLBACKS: Readonly<Record<string, Readonly<Record<CatalogueLocale, string>>>> = {
  otherClubName: { en: 'a partner club', fr: 'un club partenaire' },
  eventTitle: { en: 'your event', fr: 'votre événement' },
  clubName: { en: 'your club', fr: 'votre club' },
  firstName: { en: 'there', fr: 'à vous' },
};

export function isTemplateKey(value: string): value is TemplateKey {
  return (TEMPLATE_KEYS as readonly string[]).includes(value);
}

export function defaultTemplate(key: TemplateKey, locale: CatalogueLocale): MessageTemplate {
  return DEFAULT_TEMPLATES[key][locale];
}
