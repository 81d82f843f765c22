-- A club's members. Tenant-owned: row-level security by club_id (tenantTableSql, appended by
-- memberMigrations() in src/index.ts) lets a tenant transaction see only its own club's rows.
CREATE TABLE member.members (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL REFERENCES member.clubs (id),
  -- The club's own numbering, unique within the club (never across clubs: a unique key spanning
  -- tenants would tell one club that another uses a number).
  member_number text NOT NULL CHECK (length(member_number) BETWEEN 1 AND 40),
  -- The member's user account (auth service), when linked; one membership per user and club.
  user_id uuid,
  membership_type text NOT NULL
    CHECK (membership_type IN ('REGULAR', 'PREMIUM', 'VIP', 'CORPORATE', 'STUDENT', 'SENIOR', 'FAMILY', 'HONORARY')),
  -- The lifecycle (src/domain/member-lifecycle.ts); INACTIVE is terminal.
  status text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE')),
  -- Personal fields: emptied by erasure (erased_at set), so they are nullable or may be ''.
  first_name text NOT NULL,
  last_name text NOT NULL,
  email text,
  phone text,
  date_of_birth date,
  -- { street, city, state, postalCode, country }
  address jsonb,
  -- { name, relationship, phone, email }
  emergency_contact jsonb,
  -- { receiveNewsletter, receivePromotions, allowDataSharing, preferredLanguage, dietaryRestrictions, interests }
  preferences jsonb NOT NULL,
  -- Staff notes; never shown to the member.
  notes text,
  joined_at timestamptz NOT NULL,
  expires_at timestamptz,
  -- The member's identity on the ledger (did:clubland:member:<id>); survives erasure so the
  -- ledger's records of visits and votes keep pointing at someone.
  ledger_identity text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  erased_at timestamptz,
  UNIQUE (club_id, member_number)
);
CREATE UNIQUE INDEX members_one_per_user ON member.members (club_id, user_id) WHERE user_id IS NOT NULL;
-- The two keyset orders of the roster.
CREATE INDEX members_by_created ON member.members (club_id, created_at, id);
CREATE INDEX members_by_last_name ON member.members (club_id, lower(last_name), id);

-- Every lifecycle transition: who, when, why. Append-only.
CREATE TABLE member.status_changes (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL REFERENCES member.clubs (id),
  member_id uuid NOT NULL REFERENCES member.members (id),
  from_status text NOT NULL,
  to_status text NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  -- The acting user's id.
  changed_by text NOT NULL,
  changed_at timestamptz NOT NULL
);
CREATE INDEX status_changes_by_member ON member.status_changes (club_id, member_id, changed_at);

-- Data exports and erasures: who asked, for whom, when. Append-only.
CREATE TABLE member.privacy_audit (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL REFERENCES member.clubs (id),
  member_id uuid NOT NULL REFERENCES member.members (id),
  action text NOT NULL CHECK (action IN ('EXPORT', 'ERASE')),
  actor_user_id text NOT NULL,
  reason text NOT NULL DEFAULT '',
  at timestamptz NOT NULL
);
CREATE INDEX privacy_audit_by_member ON member.privacy_audit (club_id, member_id, at);

-- History is written once: the application role may add to it, never rewrite it.
REVOKE UPDATE, DELETE ON member.status_changes, member.privacy_audit FROM clubland_app;
