/**
 * Event-type filters with NATS subject wildcards, so both adapters select the same events:
 * `club.created` matches itself, `club.*` one more token, `club.>` one or more.
 */
export function matchesTypes(patterns: readonly string[]): (type: string) => boolean {
  const compiled = patterns.map(compile);
  return (type) => {
    const tokens = type.split('.');
    return compiled.some((pattern) => matches(pattern, tokens));
  };
}

/** Throws on a filter NATS would reject: empty tokens, or `>` anywhere but last. */
export function assertTypeFilters(patterns: readonly string[]): void {
  if (patterns.length === 0) throw new Error('subscribe needs at least one event type');
  for (const pattern of patterns) compile(pattern);
}

function compile(pattern: string): string[] {
  const tokens = pattern.split('.');
  tokens.forEach((token, index) => {
    const isLast = index === tokens.length - 1;
    if (
      token === '' ||
      /\s/.test(token) ||
      (token === '>' && !isLast) ||
      (token.length > 1 && /[*>]/.test(token))
    ) {
      throw new Error(`invalid event type filter "${pattern}"`);
    }
  });
  return tokens;
}

function matches(pattern: readonly string[], tokens: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i];
    if (want === '>') return tokens.length > i;
    if (i >= tokens.length) return false;
    if (want !== '*' && want !== tokens[i]) return false;
  }
  return pattern.length === tokens.length;
}
