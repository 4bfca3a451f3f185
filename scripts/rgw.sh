#!/usr/bin/env bash
# A throwaway single-node Ceph RGW on 127.0.0.1 for the S3 tests and `npm run dev`: a real S3 that checks
# signatures and POST policies. One mon, one memstore OSD and radosgw, with no cephx (nothing leaves 127.0.0.1).
# Everything (config, mon store, pid files, logs) lives in one directory; OSD data is in RAM.
#
#   scripts/rgw.sh available           exit 0 if the Ceph binaries are installed, else say what to install
#   scripts/rgw.sh start <dir> <port>  build the cluster in <dir> (absent or empty), S3 on 127.0.0.1:<port>;
#                                      last line of stdout: RGW_ENDPOINT=http://127.0.0.1:<port>
#   scripts/rgw.sh stop <dir>          stop the daemons and remove <dir>; no error if already stopped
#
# Environment for start: RGW_ACCESS_KEY, RGW_SECRET_KEY (the S3 user's keys), RGW_MON_PORT (msgr2,
# default 3300) and RGW_MON_V1_PORT (legacy msgr1, default 6789): set both to run two clusters at once;
# RGW_START_TIMEOUT (seconds, default 90).
set -euo pipefail

TOOLS=(radosgw radosgw-admin ceph ceph-mon ceph-osd monmaptool uuidgen)
APT='apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd uuid-runtime'
MARKER=.bucketgate-rgw # stop removes only directories carrying this (or empty ones)
DEADLINE=${RGW_START_TIMEOUT:-90} # seconds for start, all steps together
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

die() {
  echo "rgw.sh: $*" >&2
  exit 1
}

usage() {
  die "usage: $0 available | start <dir> <port> | stop <dir>"
}

available() {
  local missing=() t
  for t in "${TOOLS[@]}"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  if ((${#missing[@]})); then
    echo "Ceph RGW is not installed (missing on PATH: ${missing[*]}). Install it with: $APT" >&2
    return 1
  fi
}

# True when something already listens there (a bind would fail later with a far less clear message).
port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Our daemons carry "-c <dir>/ceph.conf" on their command line: that tells them from a recycled pid.
ours() {
  local pid=$1 conf=$2 cmd
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *"-c $conf "* ]]
}

# SIGTERM, wait up to 5 s, then SIGKILL (an OSD whose mon is gone never exits on SIGTERM).
kill_pid() {
  local pid=$1 conf=$2 i
  ours "$pid" "$conf" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    ours "$pid" "$conf" || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do
    ours "$pid" "$conf" || return 0
    sleep 0.1
  done
}

# Order matters: radosgw, then the OSD, then the mon (the others need the mon to shut down cleanly).
stop_daemons() {
  local dir=$1 conf=$1/ceph.conf name pid
  for name in client.rgw.local osd.0 mon.a; do
    [[ -f $dir/run/$name.pid ]] || continue
    pid=$(<"$dir/run/$name.pid") || continue
    [[ $pid =~ ^[0-9]+$ ]] && kill_pid "$pid" "$conf"
  done
  # A daemon that died before writing its pid file, or a half-started one: find it by its conf path.
  for pid in $(pgrep -f -- "-c $conf" || true); do kill -KILL "$pid" 2>/dev/null || true; done
}

stop() {
  local dir=${1:?}
  [[ -d $dir ]] || return 0
  dir=$(cd "$dir" && pwd)
  [[ -f $dir/$MARKER || -z $(ls -A "$dir") ]] || die "$dir was not made by rgw.sh start; not touching it"
  stop_daemons "$dir"
  rm -rf -- "$dir"
}

start() {
  local dir=${1:?} port=${2:?}
  local mon2=${RGW_MON_PORT:-3300} mon1=${RGW_MON_V1_PORT:-6789}
  local key=${RGW_ACCESS_KEY:-bucketgate-test} secret=${RGW_SECRET_KEY:-bucketgate-test-secret-0123456789}
  [[ $port =~ ^[0-9]+$ && $mon2 =~ ^[0-9]+$ && $mon1 =~ ^[0-9]+$ ]] || die "ports must be numbers"
  available || exit 1
  local p
  for p in "$port" "$mon2" "$mon1"; do port_busy "$p" && die "port 127.0.0.1:$p is already in use"; done
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ -z $(ls -A "$dir") ]] || die "$dir is not empty"
  touch "$dir/$MARKER"
  mkdir -p "$dir"/{run,log,mon.a,osd.0,rgw}

  local conf=$dir/ceph.conf fsid mon_addr="[v2:127.0.0.1:$mon2,v1:127.0.0.1:$mon1]"
  fsid=$(uuidgen)
  # No cephx and crc on every messenger mode: without the latter radosgw hangs forever on
  # "get_initial_auth_request returned -13". Pools of size 1 on a single memstore OSD.
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon_host = $mon_addr
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_mon_client_mode = crc
ms_client_mode = crc
ms_mon_service_mode = crc
ms_mon_cluster_mode = crc
ms_service_mode = crc
ms_cluster_mode = crc
run_dir = $dir/run
log_file = $dir/log/\$name.log
keyring = $dir/keyring
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_allow_pool_size_one = true
osd_crush_chooseleaf_type = 0

[mon]
mon_data = $dir/mon.\$id
pid_file = $dir/run/\$name.pid
admin_socket = $dir/run/\$name.asok

[osd]
osd_data = $dir/osd.\$id
pid_file = $dir/run/\$name.pid
admin_socket = $dir/run/\$name.asok
osd_objectstore = memstore
memstore_device_bytes = 2147483648
osd_max_object_name_len = 460
osd_max_object_namespace_len = 64

[client.rgw.local]
rgw_frontends = beast endpoint=127.0.0.1:$port
rgw_data = $dir/rgw
rgw_dns_name = localhost
pid_file = $dir/run/\$name.pid
admin_socket = $dir/run/\$name.asok
EOF
  export CEPH_CONF=$conf

  # From here on, any failure (or the deadline, or a signal) stops what we started and shows the logs.
  trap 'on_start_exit $? "$dir"' EXIT
  trap 'exit 130' INT TERM HUP
  local out=$dir/log/start.log

  monmaptool --create --fsid "$fsid" --addv a "$mon_addr" "$dir/monmap" >>"$out" 2>&1
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >>"$out" 2>&1
  ceph-mon -c "$conf" -i a >>"$out" 2>&1 # daemonizes

  # Every ceph CLI call gets a timeout: with no mon to answer it would wait forever.
  local uuid id
  uuid=$(uuidgen)
  id=$(timeout 30 ceph -c "$conf" --connect-timeout 25 osd new "$uuid" 2>>"$out")
  [[ $id == 0 ]] || die "ceph osd new gave id '$id', expected 0"
  ceph-osd -c "$conf" -i "$id" --mkfs --osd-uuid "$uuid" >>"$out" 2>&1
  ceph-osd -c "$conf" -i "$id" >>"$out" 2>&1 # daemonizes
  # (Output is captured, not piped into grep -q: with pipefail an early grep exit can fail the pipe.)
  until [[ $(timeout 10 ceph -c "$conf" --connect-timeout 8 osd stat 2>>"$out") == *' 1 up'* ]]; do
    deadline "the OSD to come up"
    sleep 0.5
  done

  radosgw -c "$conf" -n client.rgw.local >>"$out" 2>&1 # daemonizes, creates its pools on first start
  until [[ $(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$port/") =~ ^(200|403)$ ]]; do
    deadline "radosgw to answer on 127.0.0.1:$port"
    sleep 0.5
  done

  timeout 30 radosgw-admin -c "$conf" user create --uid=bucketgate-test --display-name=bucketgate-test \
    --access-key="$key" --secret="$secret" >>"$out" 2>&1
  # The user exists for S3 once a ListBuckets signed with its keys names it as the owner. curl 7.88
  # does not send x-amz-content-sha256 itself, and RGW refuses v4 requests without it.
  until [[ $(curl -s -m 5 --aws-sigv4 'aws:amz:us-east-1:s3' --user "$key:$secret" \
    -H "x-amz-content-sha256: $EMPTY_SHA256" "http://127.0.0.1:$port/") == *'<ID>bucketgate-test</ID>'* ]]; do
    deadline "radosgw to accept the S3 user's signature"
    sleep 0.5
  done

  trap - EXIT INT TERM HUP
  echo "RGW_ENDPOINT=http://127.0.0.1:$port"
}

deadline() {
  ((SECONDS < DEADLINE)) || die "timed out after ${DEADLINE}s waiting for $1"
}

# Stops the daemons but keeps <dir> so its logs can be read; "stop <dir>" removes it.
on_start_exit() {
  local rc=$1 dir=$2 f
  trap - EXIT INT TERM HUP
  ((rc)) || return 0
  echo "rgw.sh: start failed after ${SECONDS}s (exit $rc); stopping the daemons; logs in $dir/log" >&2
  for f in "$dir"/log/*.log; do
    [[ -s $f ]] || continue
    echo "--- tail of $f" >&2
    tail -n 15 "$f" >&2
  done
  stop_daemons "$dir"
  exit "$rc"
}

case ${1:-} in
available) (($# == 1)) || usage && available ;;
start) (($# == 3)) || usage && start "$2" "$3" ;;
stop) (($# == 2)) || usage && stop "$2" ;;
*) usage ;;
esac
