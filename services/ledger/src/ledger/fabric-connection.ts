import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import {
  type Contract,
  connect,
  type Gateway,
  hash,
  type Network,
  signers,
} from '@hyperledger/fabric-gateway';
import type { FabricSettings } from './fabric-settings.ts';

export interface FabricConnection {
  gateway: Gateway;
  network: Network;
  contract: Contract;
  /** The peer's ledger query system chaincode: blocks by transaction id. */
  qscc: Contract;
  close(): void;
}

export function connectFabric(settings: FabricSettings): FabricConnection {
  const client = new grpc.Client(
    settings.peerEndpoint,
    grpc.credentials.createSsl(readFileSync(settings.tlsCertPath)),
    {
      ...(settings.peerHostAlias ? { 'grpc.ssl_target_name_override': settings.peerHostAlias } : {}),
      // A batch of 1,000 entries and its payloads is about 1 MB.
      'grpc.max_send_message_length': 64 * 1024 * 1024,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    },
  );
  const gateway = connect({
    client,
    identity: { mspId: settings.mspId, credentials: readFileSync(settings.certPath) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(settings.keyPath))),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  const network = gateway.getNetwork(settings.channel);
  return {
    gateway,
    network,
    contract: network.getContract(settings.chaincode),
    qscc: network.getContract('qscc'),
    close() {
      gateway.close();
      client.close();
    },
  };
}
