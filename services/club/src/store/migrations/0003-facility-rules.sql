-- What a facility shows members beyond its schedule (the contract's Facility), and what the club
-- service needs to answer about a facility named by id alone, or about a visitor from another club.

ALTER TABLE club.facilities
  -- Short labels shown with the facility ('floodlights', 'changing rooms'); up to 50.
  ADD COLUMN amenities text[] NOT NULL DEFAULT '{}',
  -- Where in the club it is ('East wing, level 2').
  ADD COLUMN location text CHECK (length(location) <= 200),
  -- Image URLs; up to 20.
  ADD COLUMN images text[] NOT NULL DEFAULT '{}',
  -- A booking starts REQUESTED and waits for staff to confirm it.
  ADD COLUMN requires_approval boolean NOT NULL DEFAULT false;

-- Which club holds a facility, by id: how a call naming a facility by id alone (facility(id),
-- availableSlots(facilityId)) finds the club whose tenant transaction reads it. Ids only.
-- Tenant-owned (the tenant template is appended, see TENANT_TABLES in src/index.ts), kept by the
-- trigger below in the transaction that creates the facility; readable, never writable, in a
-- network transaction (no tenant) by the policy below.
CREATE TABLE club.facility_directory (
  facility_id uuid PRIMARY KEY REFERENCES club.facilities (id) ON DELETE CASCADE,
  club_id uuid NOT NULL
);

CREATE POLICY network_lookup ON club.facility_directory FOR SELECT
  USING (nullif(current_setting('app.tenant_id', true), '') IS NULL);

-- Runs as the writing role inside the club's tenant transaction, so the row passes the tenant
-- policy like the facility itself. A facility never changes club.
CREATE FUNCTION club.list_facility_in_directory() RETURNS trigger LANGUAGE plpgsql AS $list$
BEGIN
  INSERT INTO club.facility_directory (facility_id, club_id) VALUES (NEW.id, NEW.club_id)
    ON CONFLICT (facility_id) DO NOTHING;
  RETURN NULL;
END
$list$;

CREATE TRIGGER facilities_list_in_directory
  AFTER INSERT ON club.facilities
  FOR EACH ROW EXECUTE FUNCTION club.list_facility_in_directory();

-- Reciprocal agreements as the club service knows them: a read model of the reciprocal service's
-- agreement.status_changed (never its tables), so a member of one club sees and books another's
-- facilities only while an ACTIVE agreement between the two allows the facility's type.
-- Network-wide: an agreement belongs to two clubs and both ask about it; written only by the
-- consumer (src/app/visitor-agreements.ts).
CREATE TABLE club.visitor_agreements (
  agreement_id uuid PRIMARY KEY,
  proposer_club_id uuid NOT NULL,
  partner_club_id uuid NOT NULL,
  -- The contract's AgreementStatus, as the newest event said.
  status text NOT NULL,
  -- FacilityType names a visitor may use; empty: all; NULL: the event did not say (none allowed).
  allowed_facilities text[],
  -- The event's changedAt: an older event arriving late never overwrites a newer one.
  changed_at timestamptz NOT NULL
);
CREATE INDEX visitor_agreements_by_pair ON club.visitor_agreements
  (least(proposer_club_id, partner_club_id), greatest(proposer_club_id, partner_club_id))
  WHERE status = 'ACTIVE';
COMMENT ON TABLE club.visitor_agreements IS
  'network-wide: a read model of agreement.status_changed; an agreement belongs to two clubs, and '
  'holds ids, a status and facility types only.';
