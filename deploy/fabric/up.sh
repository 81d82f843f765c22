#!/usr/bin/env bash
# Stands up Clubland's Hyperledger Fabric network on 127.0.0.1, without Docker: one etcdraft
# orderer (joined to the channel through osnadmin), one peer for each of two organisations, the
# ledger chaincode (chaincode/) running as an external service behind our own ccaas builder.
# Writes the adapter's settings to $FABRIC_NETWORK_DIR/fabric.env and prints them.
#   usage: up.sh     (settings: deploy/fabric/env.sh; binaries: FABRIC_BIN_DIR, see deploy/fabric/README.md)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/env.sh"
net=$FABRIC_NETWORK_DIR
bin=$FABRIC_BIN_DIR
export PATH="$bin:$root/node_modules/.bin:$PATH"
started=$(date +%s.%N)

for b in peer orderer configtxgen cryptogen osnadmin; do
  [ -x "$bin/$b" ] || { echo "no $bin/$b: Fabric 2.4.9 binaries needed in FABRIC_BIN_DIR (see deploy/fabric/README.md)" >&2; exit 1; }
done
if [ -f "$net/fabric.env" ] || [ -d "$net/pids" ]; then
  echo "a network is already in $net: run down.sh first" >&2
  exit 1
fi
# On any failure, take down what was started.
trap 'status=$?; if [ $status -ne 0 ]; then
  rm -rf "$net.failed-logs"; cp -r "$net/logs" "$net.failed-logs" 2>/dev/null || true
  echo "up.sh failed; the logs are kept in $net.failed-logs" >&2
  for f in "$net"/logs/*.log; do echo "== $f" >&2; tail -c 1500 "$f" >&2; done
  "$here/down.sh" >/dev/null
fi' EXIT

mkdir -p "$net"/{config,logs,pids,data}
log() { printf '[fabric %5.1fs] %s\n' "$(echo "$(date +%s.%N) - $started" | bc)" "$*"; }

wait_port() { # name port
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$1 did not listen on 127.0.0.1:$2" >&2
  return 1
}
wait_healthy() { # name ops-port
  for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/healthz")" = 200 ] && return 0
    sleep 0.1
  done
  echo "$1 is not healthy: $(curl -s "http://127.0.0.1:$2/healthz")" >&2
  return 1
}
start() { # name command... : in a session of its own, so down.sh ends it with its children
  local name=$1
  shift
  setsid "$@" >"$net/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$net/pids/$name.pid"
}

# --- crypto material and the channel's genesis block
cryptogen generate --config "$here/crypto-config.yaml" --output "$net/crypto" >/dev/null
sed -e "s#@NET@#$net#g" -e "s#@ORDERER_PORT@#$ORDERER_PORT#g" \
  -e "s#@PEER1_PORT@#$PEER1_PORT#g" -e "s#@PEER2_PORT@#$PEER2_PORT#g" \
  -e "s#@BATCH_TIMEOUT@#$FABRIC_BATCH_TIMEOUT#g" -e "s#@MAX_MESSAGE_COUNT@#$FABRIC_MAX_MESSAGE_COUNT#g" \
  "$here/configtx.yaml.in" >"$net/config/configtx.yaml"
cp "$FABRIC_SAMPLE_CONFIG/orderer.yaml" "$net/config/orderer.yaml"
# An empty CORE_VM_ENDPOINT is ignored: without this edit the peer keeps looking for Docker.
sed -e 's#endpoint: unix:///var/run/docker.sock#endpoint: ""#' "$FABRIC_SAMPLE_CONFIG/core.yaml" >"$net/config/core.yaml"
FABRIC_CFG_PATH="$net/config" configtxgen -profile ClublandChannel -channelID "$FABRIC_CHANNEL" \
  -outputBlock "$net/genesis.block" 2>"$net/logs/configtxgen.log"
log "crypto material and genesis block"

ord=$net/crypto/ordererOrganizations/orderer.clubland.example
ordnode=$ord/orderers/orderer.orderer.clubland.example
org_dir() { echo "$net/crypto/peerOrganizations/org$1.clubland.example"; }

# --- the orderer: no system channel, channel participation API on
FABRIC_CFG_PATH="$net/config" \
ORDERER_GENERAL_LISTENADDRESS=127.0.0.1 ORDERER_GENERAL_LISTENPORT=$ORDERER_PORT \
ORDERER_GENERAL_LOCALMSPID=OrdererMSP ORDERER_GENERAL_LOCALMSPDIR=$ordnode/msp \
ORDERER_GENERAL_BOOTSTRAPMETHOD=none ORDERER_CHANNELPARTICIPATION_ENABLED=true \
ORDERER_GENERAL_TLS_ENABLED=true ORDERER_GENERAL_TLS_PRIVATEKEY=$ordnode/tls/server.key \
ORDERER_GENERAL_TLS_CERTIFICATE=$ordnode/tls/server.crt ORDERER_GENERAL_TLS_ROOTCAS="[$ordnode/tls/ca.crt]" \
ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE=$ordnode/tls/server.crt \
ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY=$ordnode/tls/server.key \
ORDERER_GENERAL_CLUSTER_ROOTCAS="[$ordnode/tls/ca.crt]" \
ORDERER_ADMIN_LISTENADDRESS=127.0.0.1:$ORDERER_ADMIN_PORT ORDERER_ADMIN_TLS_ENABLED=true \
ORDERER_ADMIN_TLS_PRIVATEKEY=$ordnode/tls/server.key ORDERER_ADMIN_TLS_CERTIFICATE=$ordnode/tls/server.crt \
ORDERER_ADMIN_TLS_ROOTCAS="[$ordnode/tls/ca.crt]" ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true \
ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$ordnode/tls/ca.crt]" \
ORDERER_FILELEDGER_LOCATION=$net/data/orderer ORDERER_CONSENSUS_WALDIR=$net/data/orderer/etcdraft/wal \
ORDERER_CONSENSUS_SNAPDIR=$net/data/orderer/etcdraft/snapshot \
ORDERER_OPERATIONS_LISTENADDRESS=127.0.0.1:$ORDERER_OPS_PORT ORDERER_METRICS_PROVIDER=disabled \
ORDERER_GENERAL_LOGLEVEL=warn FABRIC_LOGGING_SPEC=warn \
  start orderer orderer
wait_port orderer-admin "$ORDERER_ADMIN_PORT"
osnadmin channel join --channelID "$FABRIC_CHANNEL" --config-block "$net/genesis.block" \
  -o "127.0.0.1:$ORDERER_ADMIN_PORT" --ca-file "$ordnode/tls/ca.crt" \
  --client-cert "$ordnode/tls/server.crt" --client-key "$ordnode/tls/server.key" >"$net/logs/osnadmin.log"
log "orderer up, channel $FABRIC_CHANNEL joined"

# --- each organisation's chaincode package (ccaas: only the address of its own chaincode server)
# and that server, started before the peers install it (else their first dial fails and waits for
# the first invoke). Each organisation runs its own chaincode server, as it would on its own
# machines: the two endorsements of a transaction run on two processes, not one after the other on one.
label=${FABRIC_CHAINCODE}_1
declare -A package_id
for org in 1 2; do
  pkg=$net/chaincode/org$org
  port=CCAAS${org}_PORT
  mkdir -p "$pkg/src"
  printf '{"address":"127.0.0.1:%s","dial_timeout":"10s","tls_required":false}\n' "${!port}" >"$pkg/src/connection.json"
  printf '{"type":"ccaas","label":"%s"}\n' "$label" >"$pkg/metadata.json"
  tar -C "$pkg/src" -czf "$pkg/code.tar.gz" connection.json
  tar -C "$pkg" -czf "$pkg/$label.tar.gz" metadata.json code.tar.gz
  package_id[$org]=$(FABRIC_CFG_PATH="$net/config" peer lifecycle chaincode calculatepackageid "$pkg/$label.tar.gz")
  (cd "$root/chaincode" && start "chaincode-org$org" npx --no-install fabric-chaincode-node server \
    --chaincode-address "127.0.0.1:${!port}" --chaincode-id "${package_id[$org]}")
done
wait_port chaincode-org1 "$CCAAS1_PORT"
wait_port chaincode-org2 "$CCAAS2_PORT"
log "chaincode servers up (${package_id[1]}, ${package_id[2]})"

# --- the peers
start_peer() { # org port cc-port ops-port
  local dir peer
  dir=$(org_dir "$1")
  peer=$dir/peers/peer0.org$1.clubland.example
  FABRIC_CFG_PATH="$net/config" CORE_PEER_ID=peer0.org$1 CORE_PEER_LOCALMSPID=Org$1MSP \
  CORE_PEER_MSPCONFIGPATH=$peer/msp CORE_PEER_LISTENADDRESS=127.0.0.1:$2 CORE_PEER_ADDRESS=127.0.0.1:$2 \
  CORE_PEER_CHAINCODELISTENADDRESS=127.0.0.1:$3 CORE_PEER_CHAINCODEADDRESS=127.0.0.1:$3 \
  CORE_PEER_GOSSIP_EXTERNALENDPOINT=127.0.0.1:$2 CORE_PEER_GOSSIP_BOOTSTRAP=127.0.0.1:$2 \
  CORE_PEER_GOSSIP_RECONNECTINTERVAL=1s CORE_PEER_GOSSIP_DIALTIMEOUT=2s \
  CORE_PEER_GOSSIP_PUBLISHSTATEINFOINTERVAL=1s \
  CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_CERT_FILE=$peer/tls/server.crt \
  CORE_PEER_TLS_KEY_FILE=$peer/tls/server.key CORE_PEER_TLS_ROOTCERT_FILE=$peer/tls/ca.crt \
  CORE_PEER_FILESYSTEMPATH=$net/data/peer0.org$1 CORE_LEDGER_STATE_STATEDATABASE=goleveldb \
  CORE_OPERATIONS_LISTENADDRESS=127.0.0.1:$4 CORE_METRICS_PROVIDER=disabled \
  CORE_CHAINCODE_EXTERNALBUILDERS="[{name: ccaas, path: $here/builders/ccaas}]" \
  FABRIC_LOGGING_SPEC=warn \
    start "peer0.org$1" peer node start
}
start_peer 1 "$PEER1_PORT" "$PEER1_CC_PORT" "$PEER1_OPS_PORT"
start_peer 2 "$PEER2_PORT" "$PEER2_CC_PORT" "$PEER2_OPS_PORT"
wait_healthy orderer "$ORDERER_OPS_PORT"
for i in 1 2; do
  ops=PEER${i}_OPS_PORT port=PEER${i}_PORT
  wait_healthy "peer0.org$i" "${!ops}"
  # /healthz answers before the gRPC port accepts.
  wait_port "peer0.org$i" "${!port}"
done
log "peers up"

as_admin() { # org command... : the peer CLI as the organisation's admin, against its peer
  local org=$1 dir port
  shift
  dir=$(org_dir "$org")
  port=PEER${org}_PORT
  FABRIC_CFG_PATH="$net/config" CORE_PEER_LOCALMSPID=Org${org}MSP \
  CORE_PEER_MSPCONFIGPATH=$dir/users/Admin@org$org.clubland.example/msp \
  CORE_PEER_ADDRESS=127.0.0.1:${!port} CORE_PEER_TLS_ENABLED=true \
  CORE_PEER_TLS_ROOTCERT_FILE=$dir/peers/peer0.org$org.clubland.example/tls/ca.crt \
  FABRIC_LOGGING_SPEC=warn "$@"
}
orderer_flags=(-o "127.0.0.1:$ORDERER_PORT" --ordererTLSHostnameOverride localhost --tls --cafile "$ordnode/tls/ca.crt")
for org in 1 2; do
  as_admin $org peer channel join -b "$net/genesis.block" >>"$net/logs/cli.log" 2>&1
  as_admin $org peer lifecycle chaincode install "$net/chaincode/org$org/$label.tar.gz" >>"$net/logs/cli.log" 2>&1
done
log "peers joined, chaincode installed"
definition=(--channelID "$FABRIC_CHANNEL" --name "$FABRIC_CHAINCODE" --version 1 --sequence 1
  --collections-config "$here/collections.json")
for org in 1 2; do
  for attempt in $(seq 1 20); do
    if as_admin $org peer lifecycle chaincode approveformyorg "${orderer_flags[@]}" "${definition[@]}" \
      --package-id "${package_id[$org]}" --waitForEvent >>"$net/logs/cli.log" 2>&1; then break; fi
    [ "$attempt" = 20 ] && { echo "approveformyorg failed for Org$org" >&2; exit 1; }
    sleep 0.5
  done
done
peer_flags=()
for org in 1 2; do
  port=PEER${org}_PORT
  peer_flags+=(--peerAddresses "127.0.0.1:${!port}"
    --tlsRootCertFiles "$(org_dir $org)/peers/peer0.org$org.clubland.example/tls/ca.crt")
done
as_admin 1 peer lifecycle chaincode commit "${orderer_flags[@]}" "${definition[@]}" "${peer_flags[@]}" \
  --waitForEvent >>"$net/logs/cli.log" 2>&1
log "chaincode $FABRIC_CHAINCODE committed on $FABRIC_CHANNEL"

# --- the adapter's settings: Org1's client identity, through Org1's peer (its Gateway)
user=$(org_dir 1)/users/User1@org1.clubland.example/msp
cat >"$net/fabric.env" <<ENV
FABRIC_PEER_ENDPOINT=127.0.0.1:$PEER1_PORT
FABRIC_PEER_HOST_ALIAS=localhost
FABRIC_TLS_CERT_PATH=$(org_dir 1)/peers/peer0.org1.clubland.example/tls/ca.crt
FABRIC_MSP_ID=Org1MSP
FABRIC_CERT_PATH=$user/signcerts/$(ls "$user/signcerts")
FABRIC_KEY_PATH=$user/keystore/$(ls "$user/keystore")
FABRIC_CHANNEL=$FABRIC_CHANNEL
FABRIC_CHAINCODE=$FABRIC_CHAINCODE
FABRIC_BATCH_TIMEOUT=$FABRIC_BATCH_TIMEOUT
FABRIC_MAX_MESSAGE_COUNT=$FABRIC_MAX_MESSAGE_COUNT
ENV

# --- ready when a transaction goes through the Gateway, endorsed by both organisations (gossip
# takes a few seconds to show the Gateway Org2's peer)
node "$here/wait-ready.ts" "$net/fabric.env" >>"$net/logs/cli.log" 2>&1
log "ready: a transaction endorsed by both organisations committed"
cat "$net/fabric.env"
