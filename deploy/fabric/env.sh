# Shared by up.sh and down.sh: where the network lives, its ports and its binaries.
# Every setting can be overridden from the environment.
FABRIC_NETWORK_DIR=${FABRIC_NETWORK_DIR:-/tmp/clubland-fabric}
FABRIC_BIN_DIR=${FABRIC_BIN_DIR:-$HOME/.cache/fabric-2.4.9/bin}
FABRIC_SAMPLE_CONFIG=${FABRIC_SAMPLE_CONFIG:-$FABRIC_BIN_DIR/../config}
FABRIC_CHANNEL=${FABRIC_CHANNEL:-clubland}
FABRIC_CHAINCODE=${FABRIC_CHAINCODE:-clubland-ledger}
# Ports: orderer base, its admin base+3; peer0.org1 base+1 (chaincode base+2), peer0.org2 base+11
# (chaincode base+12); the organisations' chaincode servers base+20 and base+21; operations
# (healthz) base+100..+102.
FABRIC_PORT_BASE=${FABRIC_PORT_BASE:-7050}
# The orderer's batch settings: short, for tests and the benchmark.
FABRIC_BATCH_TIMEOUT=${FABRIC_BATCH_TIMEOUT:-100ms}
FABRIC_MAX_MESSAGE_COUNT=${FABRIC_MAX_MESSAGE_COUNT:-50}

ORDERER_PORT=$FABRIC_PORT_BASE
ORDERER_ADMIN_PORT=$((FABRIC_PORT_BASE + 3))
PEER1_PORT=$((FABRIC_PORT_BASE + 1))
PEER1_CC_PORT=$((FABRIC_PORT_BASE + 2))
PEER2_PORT=$((FABRIC_PORT_BASE + 11))
PEER2_CC_PORT=$((FABRIC_PORT_BASE + 12))
CCAAS1_PORT=$((FABRIC_PORT_BASE + 20))
CCAAS2_PORT=$((FABRIC_PORT_BASE + 21))
ORDERER_OPS_PORT=$((FABRIC_PORT_BASE + 100))
PEER1_OPS_PORT=$((FABRIC_PORT_BASE + 101))
PEER2_OPS_PORT=$((FABRIC_PORT_BASE + 102))
