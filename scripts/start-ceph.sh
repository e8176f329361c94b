#!/usr/bin/env bash
# Single-node Ceph on 127.0.0.1 for the tests: mon + memstore OSD + radosgw (S3), no mgr.
# State under $D; PIDs in $D/run/*.pid. From ../shared/reference/ecosystem.md §3.2, with its two
# traps handled: `ms mon client mode = crc` (else radosgw hangs 300 s with auth none), and small
# pg counts (else rgw's pools exceed `mon max pg per osd`).
set -euo pipefail
D=${D:?D must name a fresh directory}; RGW_PORT=${RGW_PORT:-57480}; MON_PORT=${MON_PORT:-43300}
mkdir -p "$D"/{mon,osd,rgw,run,log}
FSID=$(uuidgen)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
osd crush chooseleaf type = 0
run dir = $D/run
pid file = $D/run/\$name.pid
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
mon data = $D/mon/\$name
osd data = $D/osd/\$name
osd objectstore = memstore
memstore device bytes = 2147483648
[client.rgw.lab]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $D/rgw
CONF
C="-c $D/ceph.conf"
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$D/monmap" >/dev/null
ceph-mon $C --mkfs -i a --monmap "$D/monmap"
ceph-mon $C -i a
OSD_UUID=$(uuidgen); ID=$(timeout 30 ceph $C osd new "$OSD_UUID")
mkdir -p "$D/osd/osd.$ID"
ceph-osd $C -i "$ID" --mkfs --osd-uuid "$OSD_UUID" 2>>"$D/log/mkfs.log"
ceph-osd $C -i "$ID" 2>>"$D/log/osd-start.log"
radosgw $C -n client.rgw.lab --rgw-init-timeout 120
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$RGW_PORT/" && break; sleep 1; done
radosgw-admin $C user create --uid=test --display-name=test \
  --access-key="${S3_KEY:-TESTKEY}" --secret-key="${S3_SECRET:-testsecret}" >/dev/null
