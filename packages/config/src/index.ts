export {
  type AppConfig,
  appConfigSchema,
  type ConfigDoc,
  configDocs,
  DEVELOPMENT_LEDGER_KEY_ENCRYPTION_KEY,
  publicUrlOf,
  refuseDevelopmentSecrets,
  renderConfigTable,
} from './app-config.ts';
export {
  boolVar,
  type EnvVar,
  enumVar,
  type IntVarOptions,
  intVar,
  portVar,
  type StringVarOptions,
  stringVar,
  type UrlVarOptions,
  urlVar,
} from './fields.ts';
export { ConfigError, type ConfigProblem, loadConfig } from './load-config.ts';
export { maskUrl } from './mask.ts';
