#!/bin/sh
# First ten minutes with Clubland: sign in as a demo member and ask who you are and which club is
# yours, then sign in as that club's administrator and list its members. Run it while `npm start`
# runs in another terminal (first start on an empty data directory: the demo network is seeded).
# The README shows this file verbatim; test/e2e/first-ten-minutes.test.ts runs it, so it stays true.
set -eu
URL="${CLUBLAND_URL:-http://localhost:8080}"

if ! curl -s -o /dev/null "$URL/health"; then
  echo "Clubland is not running at $URL: start it with 'npm start' in another terminal (or set CLUBLAND_URL)." >&2
  exit 1
fi

# 1. Sign in as Ada, a member of The Pall Mall Club, and keep her access token.
TOKEN=$(curl -s "$URL/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(input: {email: \"ada.lovelace@demo.clubland.test\", password: \"clubland-demo-1\"}) { token } }"}' \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')

# 2. Who am I, and which club is mine?
curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -d '{"query":"{ me { email roles } myClub { name location } }"}'
echo

# 3. Sign in as Henry, the club's administrator, and list its members.
ADMIN_TOKEN=$(curl -s "$URL/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(input: {email: \"henry.wotton@demo.clubland.test\", password: \"clubland-demo-1\"}) { token } }"}' \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $ADMIN_TOKEN" \
  -d '{"query":"{ members { pageInfo { totalCount } nodes { memberNumber firstName lastName membershipType status } } }"}'
echo
