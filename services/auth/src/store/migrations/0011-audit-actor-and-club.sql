-- The audit log becomes readable through the API (audit:read, issue 29 item 3): each entry now says
-- who acted and which club it belongs to, so a club admin reads their club's entries only and any
-- reader filters by actor. Network-wide like auth.users (no row-level security): only the auth
-- service's use cases read it, after checking audit:read at the club asked for.
--
-- actor_id: who acted. The admin who granted a role or changed an account (details.by), else the
-- account itself (it signed in, enabled MFA, logged out); null when nobody known acted (a failed
-- sign-in for an unknown address).
ALTER TABLE auth.audit_log ADD COLUMN actor_id uuid;
-- club_id: the club the entry belongs to. The club a role, invitation or registration names
-- (details.clubId), else the account's home club when it was written; null for network-wide
-- entries (a bootstrapped network administrator, an unknown address). No foreign key: clubs live in
-- the member service.
ALTER TABLE auth.audit_log ADD COLUMN club_id uuid;

UPDATE auth.audit_log a SET
  actor_id = CASE
    WHEN a.details ->> 'by' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      THEN (a.details ->> 'by')::uuid
    ELSE a.user_id
  END,
  club_id = CASE
    WHEN a.details ->> 'clubId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      THEN (a.details ->> 'clubId')::uuid
    ELSE (SELECT u.club_id FROM auth.users u WHERE u.id = a.user_id)
  END;

COMMENT ON TABLE auth.audit_log IS
  'network-wide: an entry may concern no club (a failed sign-in for an unknown address, a network '
  'administrator) and the network reads across clubs; club_id is the club it belongs to, for '
  'readers with audit:read there. Only the auth service''s use cases read it, after checking that.';

-- The reads of the API: a club's entries newest first, one actor's, one action's.
CREATE INDEX audit_log_club_id ON auth.audit_log (club_id, id DESC);
CREATE INDEX audit_log_actor_id ON auth.audit_log (actor_id, id DESC);
CREATE INDEX audit_log_subject ON auth.audit_log (user_id, id DESC);
