import {
  DEMO_CLUB_ADMIN,
  DEMO_CLUBS,
  DEMO_DESK,
  DEMO_MEMBER,
  DEMO_PASSWORD,
  demoEmail,
} from './demo-network.ts';

/** The demo network at this start: just seeded, seeded by an earlier start or command, or absent. */
export type DemoState = 'seeded' | 'present' | 'absent';

export interface BannerOptions {
  baseUrl: string;
  graphiql: boolean;
  demo: DemoState;
  isProduction: boolean;
}

/**
 * What `clubland start` prints once the gateway listens, on every start outside production (where
 * the log is the only output): the full demo banner after the first start seeded it, a shorter one
 * with the same URLs and logins when it was seeded earlier, and the URLs alone without a demo.
 */
export function startBanner(options: BannerOptions): string | undefined {
  if (options.isProduction) return undefined;
  if (options.demo === 'seeded') return demoBanner(options);
  if (options.demo === 'present') {
    return [
      '',
      'Clubland is running with the demo network seeded earlier (every demo password is the same).',
      ...urlLines(options),
      ...loginLines(),
      '  Every demo account: npm run clubland -- seed --demo --json',
      '',
    ].join('\n');
  }
  return ['', 'Clubland is running.', ...urlLines(options), ''].join('\n');
}

function urlLines(options: { baseUrl: string; graphiql: boolean }): string[] {
  return [
    `  GraphQL:     ${options.baseUrl}/graphql`,
    ...(options.graphiql ? [`  GraphiQL:    ${options.baseUrl}/graphiql`] : []),
  ];
}

function loginLines(): string[] {
  const club = DEMO_CLUBS[0]!;
  const partner = DEMO_CLUBS[1]!;
  return [
    `  member:      ${demoEmail(DEMO_MEMBER)} / ${DEMO_PASSWORD}  (${club.name})`,
    `  club admin:  ${demoEmail(DEMO_CLUB_ADMIN)} / ${DEMO_PASSWORD}  (${club.name})`,
    `  front desk:  ${demoEmail(DEMO_DESK)} / ${DEMO_PASSWORD}  (${partner.name}, a partner club)`,
  ];
}

/**
 * What a newcomer needs after the first `npm start`: where to send queries, two accounts to sign in
 * with, and one query to try. Printed when the demo network was just seeded.
 */
export function demoBanner(options: { baseUrl: string; graphiql: boolean }): string {
  const member = demoEmail(DEMO_MEMBER);
  const login = `mutation { login(input: {email: \\"${member}\\", password: \\"${DEMO_PASSWORD}\\"}) { token } }`;
  return [
    '',
    'Clubland is running with a demo network (4 clubs; every demo password is the same).',
    ...urlLines(options),
    ...loginLines(),
    '  Try it: sign in, then ask who you are and which club is yours:',
    `    curl -s ${options.baseUrl}/graphql -H 'content-type: application/json' \\`,
    `      -d '{"query":"${login}"}'`,
    `    curl -s ${options.baseUrl}/graphql -H 'content-type: application/json' -H 'authorization: Bearer <token>' \\`,
    `      -d '{"query":"{ me { email roles } myClub { name location } }"}'`,
    '  Every demo account: npm run clubland -- seed --demo --json',
    '',
  ].join('\n');
}
