-- A club's policies (tenant-owned: tenantTableSql, appended by governanceMigrations() in
-- src/index.ts). Inactive until its administrator activates it; in force from its effective date
-- until its expiry date while active.
CREATE TABLE governance.policies (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text CHECK (description IS NULL OR length(description) <= 2000),
  category text NOT NULL CHECK (category IN ('MEMBERSHIP', 'CONDUCT', 'FACILITY_USAGE', 'FINANCIAL',
    'GOVERNANCE', 'PRIVACY', 'SAFETY', 'OTHER')),
  content text NOT NULL CHECK (length(content) BETWEEN 1 AND 50000),
  version text NOT NULL CHECK (length(version) BETWEEN 1 AND 20),
  effective_date timestamptz NOT NULL,
  expiry_date timestamptz CHECK (expiry_date IS NULL OR expiry_date > effective_date),
  is_active boolean NOT NULL,
  requires_acknowledgment boolean NOT NULL,
  -- Who activated it last, and when; NULL while never activated (it may then be deleted).
  approved_by uuid,
  approval_date timestamptz,
  deactivation_reason text,
  -- The network proposal it follows from, if any (checked visible to the club by the use case: a
  -- foreign key ignores row-level security); cleared if that proposal, a DRAFT, is deleted.
  related_proposal_id uuid REFERENCES governance.proposals (id) ON DELETE SET NULL,
  attachments text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- One policy of a name per club and version (unique keys ignore row-level security: scoped by club).
  UNIQUE (club_id, name, version)
);
CREATE INDEX policies_by_club ON governance.policies (club_id, name, created_at DESC);

-- A member's acknowledgement of one version of a policy: a new version asks again.
CREATE TABLE governance.policy_acknowledgements (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  policy_id uuid NOT NULL REFERENCES governance.policies (id) ON DELETE CASCADE,
  policy_version text NOT NULL,
  member_id uuid NOT NULL,
  user_id uuid NOT NULL,
  acknowledged_at timestamptz NOT NULL,
  ip_address text CHECK (ip_address IS NULL OR length(ip_address) <= 64),
  UNIQUE (policy_id, policy_version, member_id)
);
CREATE INDEX policy_acknowledgements_by_member ON governance.policy_acknowledgements (club_id, member_id, acknowledged_at DESC);
CREATE INDEX policy_acknowledgements_by_policy ON governance.policy_acknowledgements (policy_id, acknowledged_at DESC);
