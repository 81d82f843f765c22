import { DEMO_CLUB_ADMIN, DEMO_CLUBS, DEMO_MEMBER, DEMO_PASSWORD, demoEmail } from './demo-network.ts';

/**
 * What a newcomer needs after the first `npm start`: where to send queries, two accounts to sign in
 * with, and one query to try. Printed once, when the demo network was just seeded.
 */
export function demoBanner(options: { baseUrl: string; graphiql: boolean }): string {
  const club = DEMO_CLUBS[0]!;
  const member = demoEmail(DEMO_MEMBER);
  const admin = demoEmail(DEMO_CLUB_ADMIN);
  const login = `mutation { login(input: {email: \\"${member}\\", password: \\"${DEMO_PASSWORD}\\"}) { token } }`;
  return [
    '',
    'Clubland is running with a demo network (4 clubs; every demo password is the same).',
    `  GraphQL:     ${options.baseUrl}/graphql`,
    ...(options.graphiql ? [`  GraphiQL:    ${options.baseUrl}/graphiql`] : []),
    `  member:      ${member} / ${DEMO_PASSWORD}  (${club.name})`,
    `  club admin:  ${admin} / ${DEMO_PASSWORD}  (${club.name})`,
    '  Try it: sign in, then ask who you are and which club is yours:',
    `    curl -s ${options.baseUrl}/graphql -H 'content-type: application/json' \\`,
    `      -d '{"query":"${login}"}'`,
    `    curl -s ${options.baseUrl}/graphql -H 'content-type: application/json' -H 'authorization: Bearer <token>' \\`,
    `      -d '{"query":"{ me { email roles } myClub { name location } }"}'`,
    '  Every demo account: npm run clubland -- seed --demo --json',
    '',
  ].join('\n');
}
