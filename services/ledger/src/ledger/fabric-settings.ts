import { existsSync, readFileSync } from 'node:fs';

/**
 * How the Fabric adapter reaches the network: a peer's Gateway service over TLS, as one client
 * identity of one organisation (FABRIC_* settings; deploy/fabric/up.sh writes them to
 * $FABRIC_NETWORK_DIR/fabric.env).
 */
export interface FabricSettings {
  /** host:port of the peer whose Gateway the adapter uses. */
  peerEndpoint: string;
  /** The name the peer's TLS certificate is checked against when it differs from the endpoint's host. */
  peerHostAlias?: string | undefined;
  /** PEM of the CA that signed the peer's TLS certificate. */
  tlsCertPath: string;
  mspId: string;
  /** The client identity: its X.509 certificate (PEM) and private key (PEM). */
  certPath: string;
  keyPath: string;
  channel: string;
  chaincode: string;
}

export const DEFAULT_FABRIC_ENV_FILE = '/tmp/clubland-fabric/fabric.env';

/** KEY=VALUE lines, as up.sh writes them. */
export function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && !line.startsWith('#')) env[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return env;
}

/**
 * The settings from FABRIC_* variables, or from the env file FABRIC_ENV_FILE names (default: the
 * one up.sh writes) when FABRIC_PEER_ENDPOINT is unset; null when neither is there.
 */
export function fabricSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): FabricSettings | null {
  let source: Record<string, string | undefined> = env;
  if (!env.FABRIC_PEER_ENDPOINT) {
    const file = env.FABRIC_ENV_FILE || DEFAULT_FABRIC_ENV_FILE;
    if (!existsSync(file)) return null;
    source = { ...readEnvFile(file), ...env };
  }
  const need = (name: string) => {
    const value = source[name];
    if (!value) throw new Error(`${name} is not set: the Fabric adapter needs it`);
    return value;
  };
  return {
    peerEndpoint: need('FABRIC_PEER_ENDPOINT'),
    peerHostAlias: source.FABRIC_PEER_HOST_ALIAS || undefined,
    tlsCertPath: need('FABRIC_TLS_CERT_PATH'),
    mspId: need('FABRIC_MSP_ID'),
    certPath: need('FABRIC_CERT_PATH'),
    keyPath: need('FABRIC_KEY_PATH'),
    channel: source.FABRIC_CHANNEL || 'clubland',
    chaincode: source.FABRIC_CHAINCODE || 'clubland-ledger',
  };
}

/** The FABRIC_* settings as packages/config loads them. */
export interface FabricConfig {
  LEDGER: 'embedded' | 'fabric';
  FABRIC_PEER_ENDPOINT?: string | undefined;
  FABRIC_PEER_HOST_ALIAS?: string | undefined;
  FABRIC_TLS_CERT_PATH?: string | undefined;
  FABRIC_MSP_ID?: string | undefined;
  FABRIC_CERT_PATH?: string | undefined;
  FABRIC_KEY_PATH?: string | undefined;
  FABRIC_CHANNEL: string;
  FABRIC_CHAINCODE: string;
}

/**
 * The ledger service's `ledger` and `fabric` options from the configuration: LEDGER=fabric needs
 * every FABRIC_* setting (the error names the first one missing).
 */
export function ledgerTarget(
  config: FabricConfig,
): { ledger: 'embedded' } | { ledger: 'fabric'; fabric: FabricSettings } {
  if (config.LEDGER !== 'fabric') return { ledger: 'embedded' };
  const need = (name: keyof FabricConfig) => {
    const value = config[name];
    if (!value) throw new Error(`LEDGER=fabric needs ${name}`);
    return value;
  };
  return {
    ledger: 'fabric',
    fabric: {
      peerEndpoint: need('FABRIC_PEER_ENDPOINT'),
      peerHostAlias: config.FABRIC_PEER_HOST_ALIAS,
      tlsCertPath: need('FABRIC_TLS_CERT_PATH'),
      mspId: need('FABRIC_MSP_ID'),
      certPath: need('FABRIC_CERT_PATH'),
      keyPath: need('FABRIC_KEY_PATH'),
      channel: config.FABRIC_CHANNEL,
      chaincode: config.FABRIC_CHAINCODE,
    },
  };
}
