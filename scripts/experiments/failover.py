import sys, time, struct, json, urllib.request, os, signal
from kazoo.client import KazooClient
hosts, root, pid, rest2, jid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
zk = KazooClient(hosts=hosts); zk.start(timeout=10)
def addr(p):
    try:
        d, _ = zk.get(p)
    except Exception:
        return None
    n = struct.unpack('>H', d[6:8])[0]; return d[8:8+n].decode()
t0 = time.time(); os.kill(pid, signal.SIGKILL)
seen = {}
while time.time() - t0 < 90:
    t = time.time() - t0
    a = addr(root + "/leader/rest_server/connection_info")
    if a != seen.get("rest_last"):
        print(f"{t:6.2f}s rest_server -> {a}", flush=True); seen["rest_last"] = a
    if "127.0.1.2" in (a or "") and "rest_new" not in seen: seen["rest_new"] = t
    if "rest_new" in seen:
        try:
            o = json.load(urllib.request.urlopen(rest2 + "/overview", timeout=1))
            if o["taskmanagers"] == 3 and "tms" not in seen: seen["tms"] = t; print(f"{t:6.2f}s 3 TMs registered on new leader")
            j = json.load(urllib.request.urlopen(rest2 + f"/jobs/{jid}", timeout=1))
            if j["state"] == "RUNNING" and all(v["status"] == "RUNNING" for v in j["vertices"]) and "job" not in seen:
                seen["job"] = t; print(f"{t:6.2f}s job and all vertices RUNNING")
        except Exception as e:
            pass
    if "job" in seen and "tms" in seen: break
    time.sleep(0.1)
print(json.dumps({k: v for k, v in seen.items() if k != "rest_last"}))
zk.stop()
