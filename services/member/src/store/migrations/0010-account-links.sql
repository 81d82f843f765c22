-- Which clubs hold a member record linked to an account: how a person finds their own records
-- across clubs (myMemberships) without any policy on member.members itself changing. (A second,
-- permissive policy there would be OR'ed into every roster query and cost the roster its ordered
-- index scan; this table keeps the cross-club read off the hot path.) Ids only, no personal data.
-- Tenant-owned (the tenant template is appended, see TENANT_TABLES in src/index.ts), kept by the
-- trigger below in the transaction that links the record.
CREATE TABLE member.account_links (
  -- The account (auth service) the record is linked to.
  user_id uuid NOT NULL,
  club_id uuid NOT NULL REFERENCES member.clubs (id),
  member_id uuid NOT NULL REFERENCES member.members (id),
  -- One record per account and club, as members_one_per_user says.
  PRIMARY KEY (user_id, club_id)
);

-- The person's own links, at every club, readable (never writable) to a transaction that names the
-- person (`app.user_id`, set by store/account-link-queries.ts from the caller's verified id) and no
-- tenant. A tenant transaction never sets app.user_id, and this one sets no tenant: neither widens
-- the other. nullif as in tenantTableSql: an unset setting reads as '' once a session used it.
CREATE POLICY own_links ON member.account_links FOR SELECT
  USING (
    user_id = nullif(current_setting('app.user_id', true), '')::uuid
    AND nullif(current_setting('app.tenant_id', true), '') IS NULL
  );

-- Runs as the writing role inside the club's tenant transaction, so the link passes the tenant
-- policy like the record itself. A link is made once (records are not re-linked today); should a
-- record's account change, the old link goes and the new one comes.
CREATE FUNCTION member.link_account() RETURNS trigger LANGUAGE plpgsql AS $link_account$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.user_id IS NOT NULL THEN
    DELETE FROM member.account_links
      WHERE user_id = OLD.user_id AND club_id = OLD.club_id AND member_id = OLD.id;
  END IF;
  IF NEW.user_id IS NOT NULL THEN
    INSERT INTO member.account_links (user_id, club_id, member_id) VALUES (NEW.user_id, NEW.club_id, NEW.id)
      ON CONFLICT (user_id, club_id) DO UPDATE SET member_id = EXCLUDED.member_id;
  END IF;
  RETURN NULL;
END
$link_account$;

CREATE TRIGGER members_link_account
  AFTER INSERT OR UPDATE OF user_id ON member.members
  FOR EACH ROW EXECUTE FUNCTION member.link_account();

-- Links for the records linked before this migration. As in 0008: with FORCE ROW LEVEL SECURITY a
-- migrating role that owns the table without being a superuser would see no member at all.
ALTER TABLE member.members NO FORCE ROW LEVEL SECURITY;
INSERT INTO member.account_links (user_id, club_id, member_id)
  SELECT user_id, club_id, id FROM member.members WHERE user_id IS NOT NULL;
ALTER TABLE member.members FORCE ROW LEVEL SECURITY;
