#!/bin/sh
# First ten minutes with Clubland: sign in as a demo member and ask who you are and which club is
# yours, then sign in as that club's administrator and list its members, then check the member in
# and out at the front desk of a club in another city, then book the member a court at her own club
# (and cancel it again), read her inbox, and see what the network's clubs are voting on. Run it while `npm start` runs in another
# terminal (first start on an empty data directory: the demo network is seeded).
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
# 4. In New York, Dorothy at the Knickerbocker Union's front desk verifies Ada by her home club
#    (found in the directory) and member number: allowed under the two clubs' agreement, with what
#    the desk may see of her. She checks Ada in, then out with £18.50 at the bar: the Pall Mall Club
#    pays her guest fee, Ada her drinks (amounts in the agreement's currency, pounds).
DESK_TOKEN=$(curl -s "$URL/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(input: {email: \"dorothy.parker@demo.clubland.test\", password: \"clubland-demo-1\"}) { token } }"}' \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
HOST=$(curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $DESK_TOKEN" \
  -d '{"query":"{ myClub { id } }"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
HOME_CLUB=$(curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $DESK_TOKEN" \
  -d '{"query":"{ clubs(filter: {search: \"Pall Mall\"}) { nodes { id } } }"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $DESK_TOKEN" \
  -d '{"query":"mutation { verifyVisitor(homeClubId: \"'"$HOME_CLUB"'\", memberNumber: \"PMC-0001\") { allowed reasons letterId visitor { firstName lastName homeClubName membershipType standing } } }"}'
echo
VISIT=$(curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $DESK_TOKEN" \
  -d '{"query":"mutation { checkIn(input: {hostClubId: \"'"$HOST"'\", homeClubId: \"'"$HOME_CLUB"'\", memberNumber: \"PMC-0001\"}) { id status hostClub { name } } }"}')
echo "$VISIT"
VISIT_ID=$(echo "$VISIT" | sed -nE 's/.*"id":"([^"]+)".*/\1/p')
curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $DESK_TOKEN" \
  -d '{"query":"mutation { checkOutVisit(input: {visitId: \"'"$VISIT_ID"'\", facilitiesUsed: [\"bar\"], foodBeverage: 18.5}) { status costs { guestFee foodBeverage total currency homeClubShare memberShare } } }"}'
echo
# 5. Back in London, Ada books her club's tennis court for tomorrow: the day's slots, then the first
#    free one, then she cancels it (so the court is free for the next run, which books the same slot).
COURT=$(curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -d '{"query":"{ facilities(type: TENNIS_COURT) { nodes { id } } }"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
TOMORROW=$(date -u -d tomorrow +%Y-%m-%d 2>/dev/null || date -u -v+1d +%Y-%m-%d)
SLOT=$(curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -d '{"query":"query AvailableSlots($facilityId: ID!, $date: Time!, $slotDuration: Int!) { availableSlots(facilityId: $facilityId, date: $date, slotDuration: $slotDuration) { startTime endTime available reason } }","variables":{"facilityId":"'"$COURT"'","date":"'"$TOMORROW"'","slotDuration":60}}' \
  | grep -o '{"startTime":"[^"]*","endTime":"[^"]*","available":true' | head -n 1)
START=$(echo "$SLOT" | sed -E 's/.*"startTime":"([^"]+)".*/\1/')
END=$(echo "$SLOT" | sed -E 's/.*"endTime":"([^"]+)".*/\1/')
BOOKING=$(curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -d '{"query":"mutation CreateBooking($input: CreateBookingInput!) { createFacilityBooking(input: $input) { id startTime endTime status guestCount facility { name type } } }","variables":{"input":{"facilityId":"'"$COURT"'","startTime":"'"$START"'","endTime":"'"$END"'","guestCount":1,"purpose":"A set before lunch"}}}')
echo "$BOOKING"
BOOKING_ID=$(echo "$BOOKING" | sed -nE 's/.*"id":"([^"]+)".*/\1/p')
curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -d '{"query":"mutation CancelBooking($bookingId: ID!, $reason: String!) { cancelFacilityBooking(id: $bookingId, reason: $reason) { id status cancellationReason } }","variables":{"bookingId":"'"$BOOKING_ID"'","reason":"Rained off"}}'
echo
# 6. Ada's inbox: the demo's welcome announcement from her club (also emailed, to the mail outbox),
#    and what came since; how many she has not read yet.
curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -d '{"query":"{ unreadNotificationCount notifications(pagination: {pageSize: 50}) { nodes { type title status } } }"}'
echo
# 7. Back with Henry: the proposals the network's clubs vote on (one open, one decided, none of
#    them the Cercle's draft), and the vote his club cast.
curl -s "$URL/graphql" -H 'content-type: application/json' -H "authorization: Bearer $ADMIN_TOKEN" \
  -d '{"query":"{ proposals { nodes { title status votingMethod totalVotes votesYay votesNay votesAbstain } } myVotes { nodes { voteValue comments } } }"}'
echo
