import sys, os, json
from kazoo.client import KazooClient
hosts, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
zk = KazooClient(hosts=hosts, read_only=True); zk.start(timeout=10)
os.makedirs(out, exist_ok=True)
meta = {}
for comp in sorted(zk.get_children(root + "/leader")):
    p = f"{root}/leader/{comp}"
    if comp == "latch":
        meta["latch_children"] = sorted(zk.get_children(p))
        continue
    if zk.exists(p + "/connection_info"):
        data, st = zk.get(p + "/connection_info")
        name = "job.connection_info.bin" if comp.startswith("job-") else f"{comp}.connection_info.bin"
        open(os.path.join(out, name), "wb").write(data)
        meta[name] = {"znode": p + "/connection_info", "len": len(data), "ephemeral": bool(st.ephemeralOwner)}
jobs = zk.get_children(root + "/jobs") if zk.exists(root + "/jobs") else []
for j in jobs:
    p = f"{root}/jobs/{j}/checkpoint_id_counter"
    if zk.exists(p):
        data, _ = zk.get(p)
        open(os.path.join(out, "checkpoint_id_counter.bin"), "wb").write(data)
        meta["checkpoint_id_counter.bin"] = {"znode": p, "len": len(data), "value": int.from_bytes(data, "big")}
    cps = zk.get_children(f"{root}/jobs/{j}/checkpoints")
    meta["checkpoint_children"] = sorted(cps)
print(json.dumps(meta, indent=1))
zk.stop()
