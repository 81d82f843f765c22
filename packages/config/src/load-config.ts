import type { z } from 'zod';

export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** Start-up refused: the message is one line naming each bad variable; values are masked by the helpers. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Parses the environment with a schema built from the field helpers and returns the typed result.
 * An empty variable (`REDIS_URL=`) counts as unset, as compose files and shells often leave them.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') present[name] = value;
  }
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: issue.path.map(String).join('.') || '(environment)',
      // Issues from plain zod schemas (not our helpers) carry zod's own wording; never the value.
      problem: issue.code === 'custom' ? issue.message : `is invalid: ${issue.message}`,
    })),
  );
}
