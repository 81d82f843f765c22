import { type AppConfig, appConfigSchema, ConfigError, loadConfig } from '@clubland/config';

/** A bad or missing value stops start-up with one line naming the variable and the problem. */
export function loadAppConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(appConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
