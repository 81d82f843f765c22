-- The network's club registry. A club is a tenant: tenant-owned tables elsewhere carry its id
-- as club_id. The registry itself is the network directory, readable by every service, so it has
-- no row-level security; who may write it is decided in the use cases (network admins).
CREATE TABLE member.clubs (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- Unique across the network: it appears in URLs and QR codes.
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text NOT NULL DEFAULT '',
  -- Free text until the structured address lands with the club profile.
  location text NOT NULL DEFAULT '',
  website text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
