#!/usr/bin/env python3
"""Print N distinct TCP ports that are free on every given address (one per line).

usage: free-ports.py N ADDR...
       free-ports.py --port P ADDR...   # print P if it is free on every address, else fail
"""
import random
import socket
import sys


def free(port, addrs):
    for a in addrs:
        fam = socket.AF_INET6 if ":" in a else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        try:
            s.bind((a, port))
        except OSError:
            return False
        finally:
            s.close()
    return True


if sys.argv[1] == "--port":
    port, addrs = int(sys.argv[2]), sys.argv[3:]
    if not free(port, addrs):
        sys.exit(f"port {port} is not free on all of {addrs}")
    print(port)
    sys.exit(0)

n, addrs = int(sys.argv[1]), sys.argv[2:]
found = []
while len(found) < n:
    p = random.randint(20000, 45000)
    if p not in found and free(p, addrs):
        found.append(p)
print("\n".join(map(str, found)))
