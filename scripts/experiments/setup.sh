#!/usr/bin/env bash
set -euo pipefail
E=/var/tmp/flinkha-exp
SRC=/var/tmp/flinkha-cache/flink-2.1.0
read -r ZC1 ZC2 ZC3 ZP1 ZP2 ZP3 ZL1 ZL2 ZL3 R1 R2 H1 H2 < <(python3 $E/freeports.py 13 127.0.1.1 127.0.1.2 127.0.1.3 127.0.0.1)
cat > $E/ports.env <<P
ZC1=$ZC1 ZC2=$ZC2 ZC3=$ZC3 ZP1=$ZP1 ZP2=$ZP2 ZP3=$ZP3 ZL1=$ZL1 ZL2=$ZL2 ZL3=$ZL3
R1=$R1 R2=$R2 H1=$H1 H2=$H2
P
OPTS_ALL="$(grep -E '^\s+all: ' $SRC/conf/config.yaml | sed -E 's/^\s+all: //')"
QUORUM="127.0.1.1:$ZC1,127.0.1.2:$ZC2,127.0.1.3:$ZC3"
for n in 1 2 3; do
  h=$E/h$n; a=127.0.1.$n
  mkdir -p $h/log $h/pids $h/zk-data $h/tmp $h/web-tmp
  [[ -d $h/flink ]] || cp -a $SRC $h/flink
  rm -rf $h/conf; cp -a $SRC/conf $h/conf
  zc=ZC$n; rp=R$n; hp=H$n
  cat > $h/conf/zoo.cfg <<Z
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$h/zk-data
4lw.commands.whitelist=*
admin.enableServer=false
clientPort=${!zc}
clientPortAddress=$a
server.1=127.0.1.1:$ZP1:$ZL1;127.0.1.1:$ZC1
server.2=127.0.1.2:$ZP2:$ZL2;127.0.1.2:$ZC2
server.3=127.0.1.3:$ZP3:$ZL3;127.0.1.3:$ZC3
Z
  {
  echo "env.java.opts.all: $OPTS_ALL"
  echo "env.pid.dir: $h/pids"
  echo "env.log.dir: $h/log"
  echo "zookeeper.heap.mb: 128"
  echo "high-availability.type: zookeeper"
  echo "high-availability.zookeeper.quorum: $QUORUM"
  echo "high-availability.zookeeper.path.root: /flink"
  echo "high-availability.cluster-id: exp"
  echo "high-availability.storageDir: file://$E/ha"
  echo "high-availability.zookeeper.client.session-timeout: 6000"
  echo "io.tmp.dirs: $h/tmp"
  echo "web.tmpdir: $h/web-tmp"
  echo "jobmanager.memory.process.size: 768m"
  echo "taskmanager.memory.process.size: 1024m"
  echo "taskmanager.numberOfTaskSlots: 2"
  echo "parallelism.default: 1"
  echo "jobmanager.execution.failover-strategy: region"
  echo "taskmanager.host: $a"
  echo "taskmanager.bind-host: $a"
  echo "state.checkpoints.dir: file://$E/checkpoints"
  echo "state.savepoints.dir: file://$E/savepoints"
  if [[ $n != 3 ]]; then
  echo "jobmanager.rpc.address: $a"
  echo "jobmanager.bind-host: $a"
  echo "rest.address: $a"
  echo "rest.bind-address: $a"
  echo "rest.port: ${!rp}"
  echo "high-availability.jobmanager.port: ${!hp}"
  # REST jar run: EmbeddedExecutor's BlobClient connects to "localhost":<blob port>; with
  # jobmanager.bind-host=127.0.1.N the blob server is not on 127.0.0.1. Map localhost.
  echo "127.0.1.$n localhost $(hostname)" > $h/conf/hosts
  echo "env.java.opts.jobmanager: -Djdk.net.hosts.file=$h/conf/hosts"
  fi
  } > $h/conf/config.yaml
done
cat $E/ports.env
