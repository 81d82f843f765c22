-- The club profile the network directory shows. Network data: no row-level security (the
-- registry is readable by all); who may write is decided in the use cases (club:write).
ALTER TABLE member.clubs
  -- { street, city, state, postalCode, country }
  ADD COLUMN address jsonb,
  ADD COLUMN latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  ADD COLUMN longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  ADD COLUMN contact_email text NOT NULL DEFAULT '',
  ADD COLUMN contact_phone text NOT NULL DEFAULT '',
  ADD COLUMN logo_url text NOT NULL DEFAULT '',
  -- Lower-case amenity names, e.g. ["pool", "library"]; jsonb so @> matches "has all of these".
  ADD COLUMN amenities jsonb NOT NULL DEFAULT '[]',
  -- [{ day, opens, closes }]
  ADD COLUMN operating_hours jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN images jsonb NOT NULL DEFAULT '[]',
  -- { allowReciprocal, requireApproval, maxVisitsPerMonth, reciprocalFee }
  ADD COLUMN settings jsonb NOT NULL
    DEFAULT '{"allowReciprocal": true, "requireApproval": false, "maxVisitsPerMonth": 0, "reciprocalFee": 0}',
  ADD COLUMN timezone text NOT NULL DEFAULT 'UTC',
  ADD COLUMN currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  ADD COLUMN is_featured boolean NOT NULL DEFAULT false,
  -- Both coordinates or neither: distance needs both.
  ADD CONSTRAINT clubs_coordinates_paired CHECK ((latitude IS NULL) = (longitude IS NULL));
CREATE INDEX clubs_featured ON member.clubs (is_featured) WHERE is_featured;

-- One review per user and club (a second one replaces the first).
CREATE TABLE member.club_reviews (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL REFERENCES member.clubs (id),
  user_id uuid NOT NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
  -- The display name the author chose to show.
  author text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (club_id, user_id)
);
CREATE INDEX club_reviews_by_club ON member.club_reviews (club_id, created_at DESC, id);

-- A user's favourite clubs. Per user, not per tenant: queries always name the user.
CREATE TABLE member.favourite_clubs (
  user_id uuid NOT NULL,
  club_id uuid NOT NULL REFERENCES member.clubs (id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, club_id)
);
