// Waits until a transaction submitted through the Gateway of the network in fabric.env commits,
// endorsed by both organisations: for the first seconds after start-up, gossip has not yet shown the
// Gateway the other organisation's peer, and it answers "no combination of peers can be derived
// which satisfy the endorsement policy". usage: node wait-ready.ts <fabric.env> [timeout-seconds]
import { connectFabric } from '../../services/ledger/src/ledger/fabric-connection.ts';
import { fabricSettingsFromEnv } from '../../services/ledger/src/ledger/fabric-settings.ts';

const [envFile, timeoutText = '90'] = process.argv.slice(2);
if (!envFile) throw new Error('usage: node wait-ready.ts <fabric.env> [timeout-seconds]');
const settings = fabricSettingsFromEnv({ FABRIC_ENV_FILE: envFile });
if (!settings) throw new Error(`no ${envFile}`);
const fabric = connectFabric(settings);
const deadline = Date.now() + Number(timeoutText) * 1000;
const started = Date.now();
try {
  for (let attempt = 1; ; attempt++) {
    try {
      await fabric.contract.submitTransaction('ping');
      console.log(`ready after ${attempt} attempt(s), ${Date.now() - started} ms`);
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      console.log(`attempt ${attempt}: ${error instanceof Error ? error.message : String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
} finally {
  fabric.close();
}
