# usage: freeports.py N addr...   -> N distinct ports free on all addrs
import socket, sys
n = int(sys.argv[1]); addrs = sys.argv[2:]; out = []
def free(p):
    for a in addrs:
        s = socket.socket()
        try: s.bind((a, p))
        except OSError: return False
        finally: s.close()
    return True
while len(out) < n:
    s = socket.socket(); s.bind((addrs[0], 0)); p = s.getsockname()[1]; s.close()
    if p not in out and free(p): out.append(p)
print(" ".join(map(str, out)))
