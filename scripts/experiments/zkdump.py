import sys, struct, uuid
from kazoo.client import KazooClient
hosts = sys.argv[1]; root = sys.argv[2] if len(sys.argv) > 2 else "/flink"
zk = KazooClient(hosts=hosts, read_only=True); zk.start(timeout=10)
def decode(b):
    try:
        assert b[:4] == b'\xac\xed\x00\x05'
        # block data: 0x77 len
        assert b[4] == 0x77
        blen = b[5]; blk = b[6:6+blen]
        alen = struct.unpack('>H', blk[:2])[0]; addr = blk[2:2+alen].decode()
        lsb, msb = struct.unpack('>qq', b[-16:])
        u = uuid.UUID(int=((msb & (2**64-1)) << 64) | (lsb & (2**64-1)))
        return f"addr={addr} session={u}"
    except Exception as e:
        return f"<raw {b[:60]!r}>"
def walk(p, depth=0):
    data, st = zk.get(p)
    eph = " (ephemeral)" if st.ephemeralOwner else ""
    d = decode(data) if data else ""
    print("  " * depth + p.rsplit('/',1)[-1] + eph + f" [{len(data) if data else 0}B] " + d)
    for c in sorted(zk.get_children(p)):
        walk(p.rstrip('/') + '/' + c, depth + 1)
walk(root)
zk.stop()
