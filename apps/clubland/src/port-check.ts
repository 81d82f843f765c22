import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AppConfig } from '@clubland/config';

export const SERVICE_NAMES = [
  'gateway',
  'member',
  'auth',
  'reciprocal',
  'ledger',
  'club',
  'analytics',
  'notification',
  'governance',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A port this process will listen on, and the variable that chose it (named in the refusal). */
export interface PlannedPort {
  variable: string;
  port: number;
}

/** Every port `which` will listen on, with the variable that sets it. */
export function plannedPorts(config: AppConfig, which: ServiceName | 'all'): PlannedPort[] {
  if (which === 'member') {
    return [
      { variable: 'MEMBER_RPC_PORT', port: config.MEMBER_RPC_PORT },
      { variable: 'MEMBER_HTTP_PORT', port: config.MEMBER_HTTP_PORT },
    ];
  }
  if (which === 'auth') {
    return [
      { variable: 'AUTH_RPC_PORT', port: config.AUTH_RPC_PORT },
      { variable: 'AUTH_HTTP_PORT', port: config.AUTH_HTTP_PORT },
    ];
  }
  if (which === 'reciprocal') {
    return [
      { variable: 'RECIPROCAL_RPC_PORT', port: config.RECIPROCAL_RPC_PORT },
      { variable: 'RECIPROCAL_HTTP_PORT', port: config.RECIPROCAL_HTTP_PORT },
    ];
  }
  if (which === 'ledger') {
    return [
      { variable: 'LEDGER_RPC_PORT', port: config.LEDGER_RPC_PORT },
      { variable: 'LEDGER_HTTP_PORT', port: config.LEDGER_HTTP_PORT },
    ];
  }
  if (which === 'analytics') {
    return [
      { variable: 'ANALYTICS_RPC_PORT', port: config.ANALYTICS_RPC_PORT },
      { variable: 'ANALYTICS_HTTP_PORT', port: config.ANALYTICS_HTTP_PORT },
    ];
  }
  if (which === 'club') {
    return [
      { variable: 'CLUB_RPC_PORT', port: config.CLUB_RPC_PORT },
      { variable: 'CLUB_HTTP_PORT', port: config.CLUB_HTTP_PORT },
    ];
  }
  if (which === 'notification') {
    return [
      { variable: 'NOTIFICATION_RPC_PORT', port: config.NOTIFICATION_RPC_PORT },
      { variable: 'NOTIFICATION_HTTP_PORT', port: config.NOTIFICATION_HTTP_PORT },
    ];
  }
  if (which === 'governance') {
    return [
      { variable: 'GOVERNANCE_RPC_PORT', port: config.GOVERNANCE_RPC_PORT },
      { variable: 'GOVERNANCE_HTTP_PORT', port: config.GOVERNANCE_HTTP_PORT },
    ];
  }
  return [{ variable: 'GATEWAY_PORT', port: config.GATEWAY_PORT }];
}

/**
 * Binds each port for a moment and lets go: a port another process holds is found before the
 * database is opened (an embedded one is created and migrated first, seconds of work that a
 * taken port would throw away, leaving the directory behind). Still only a check: a port taken
 * between it and the real listen fails there, as it would have anyway.
 */
export async function assertPortsFree(host: string, ports: readonly PlannedPort[]): Promise<void> {
  for (const { variable, port } of ports) {
    // Port 0 asks the system for any free port: nothing to check.
    if (port === 0) continue;
    const reason = await bindOnce(host, port);
    if (reason)
      throw new Error(
        `${variable}=${port} cannot be used on ${host}: ${reason}; set ${variable} to a free port`,
      );
  }
}

async function bindOnce(host: string, port: number): Promise<string | undefined> {
  const server = createServer();
  server.listen({ host, port, exclusive: true });
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'EADDRINUSE') return 'another process is listening on it';
    if (code === 'EACCES') return 'this user may not listen on it';
    return error instanceof Error ? error.message : String(error);
  }
  server.close();
  await once(server, 'close');
  return undefined;
}
