-- What the member service needs to describe a visitor to a host club's front desk (DescribeVisitor,
-- src/app/describe-visitor.ts) without any club reading another's roster.

-- Which club holds a member record, by id: how a visit code or a visit naming a member by id alone
-- finds the record's club. Ids only, no personal data. Tenant-owned (the tenant template is appended,
-- see TENANT_TABLES in src/index.ts), kept by the trigger below in the transaction that adds the
-- record; readable, never writable, in a network transaction (no tenant) by the policy below.
CREATE TABLE member.member_directory (
  -- Goes with the record (a bulk removal in a test, a future purge).
  member_id uuid PRIMARY KEY REFERENCES member.members (id) ON DELETE CASCADE,
  club_id uuid NOT NULL REFERENCES member.clubs (id)
);

-- A network transaction (no tenant) may look a record's club up. A tenant transaction sees its own
-- club's rows only (tenant_isolation); policies are OR'ed, and this one needs the tenant unset.
CREATE POLICY network_lookup ON member.member_directory FOR SELECT
  USING (nullif(current_setting('app.tenant_id', true), '') IS NULL);

-- Runs as the writing role inside the club's tenant transaction, so the row passes the tenant
-- policy like the record itself. A record never changes club.
CREATE FUNCTION member.list_in_directory() RETURNS trigger LANGUAGE plpgsql AS $list_in_directory$
BEGIN
  INSERT INTO member.member_directory (member_id, club_id) VALUES (NEW.id, NEW.club_id)
    ON CONFLICT (member_id) DO NOTHING;
  RETURN NULL;
END
$list_in_directory$;

CREATE TRIGGER members_list_in_directory
  AFTER INSERT ON member.members
  FOR EACH ROW EXECUTE FUNCTION member.list_in_directory();

-- As in 0010: with FORCE ROW LEVEL SECURITY a migrating role that owns the table without being a
-- superuser would see no member at all.
ALTER TABLE member.members NO FORCE ROW LEVEL SECURITY;
INSERT INTO member.member_directory (member_id, club_id) SELECT id, club_id FROM member.members;
ALTER TABLE member.members FORCE ROW LEVEL SECURITY;

-- Reciprocal agreements as the member service knows them: a read model of agreement.status_changed
-- (the reciprocal service's event; never its tables), so it answers a host's DescribeVisitor only
-- while the host holds an ACTIVE agreement with the member's club. Network-wide: an agreement is
-- between two clubs and both ask about it; written only by the consumer (app/agreement-read-model.ts).
CREATE TABLE member.reciprocal_agreements (
  agreement_id uuid PRIMARY KEY,
  proposer_club_id uuid NOT NULL,
  partner_club_id uuid NOT NULL,
  -- The contract's AgreementStatus, as the newest event said.
  status text NOT NULL,
  starts_on date NOT NULL,
  ends_on date,
  -- The event's changedAt: an older event arriving late never overwrites a newer one.
  changed_at timestamptz NOT NULL
);
CREATE INDEX reciprocal_agreements_by_pair ON member.reciprocal_agreements
  (least(proposer_club_id, partner_club_id), greatest(proposer_club_id, partner_club_id))
  WHERE status = 'ACTIVE';
COMMENT ON TABLE member.reciprocal_agreements IS
  'network-wide: a read model of agreement.status_changed; an agreement belongs to two clubs, and '
  'holds ids, dates and a status only.';
