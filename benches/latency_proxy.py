#!/usr/bin/env python3
"""A TCP delay line for the benchmarks: one process, many listen addresses, one upstream.

    latency_proxy.py --upstream HOST:PORT --port PORT --delay-ms 10 --ready-file F ADDR...

Listens on ADDR:PORT for every ADDR (the simulated hosts' loopback addresses) and forwards
each connection to HOST:PORT (the bench sshd). Every chunk forwarded, in each direction, is
delivered `--delay-ms` after it was read: a reader task stamps each chunk with its due time
and queues it, a writer task sleeps until the head's due time and writes it. Chunks keep
their order and the pipe stays full (a chunk read while earlier ones wait is not held back by
them), so the throughput is the link's, not one chunk per delay; this is a one-way latency,
as netem's `delay` would add, not a bandwidth limit. The TCP handshake's round trip is
simulated too: a new connection waits 2 x delay before anything is forwarded.

Only loopback addresses are accepted (listen and upstream). Writes the ready file (its pid)
once every address listens; exits on SIGTERM/SIGINT. Python 3 stdlib only.
"""

import argparse
import asyncio
import ipaddress
import os
import signal
import sys

CHUNK = 64 * 1024
QUEUE_CHUNKS = 1024  # at most 64 MiB in flight per direction (backpressure beyond)


def loopback(addr):
    try:
        return ipaddress.ip_address(addr).is_loopback
    except ValueError:
        return False


async def pump(reader, writer, delay, loop):
    """Copies reader to writer, each chunk delivered `delay` s after it was read."""
    q = asyncio.Queue(QUEUE_CHUNKS)

    async def read_side():
        try:
            while True:
                data = await reader.read(CHUNK)
                await q.put((loop.time() + delay, data))
                if not data:
                    return
        except (ConnectionError, OSError):
            await q.put((loop.time() + delay, b""))

    async def write_side():
        try:
            while True:
                due, data = await q.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            return

    r = asyncio.ensure_future(read_side())
    try:
        await write_side()
    finally:
        r.cancel()


async def handle(creader, cwriter, upstream, delay):
    loop = asyncio.get_running_loop()
    try:
        # The client's connect() returned at once on loopback: a real one would have taken a
        # round trip (SYN, SYN-ACK) before its first byte left.
        await asyncio.sleep(2 * delay)
        sreader, swriter = await asyncio.open_connection(*upstream)
    except OSError:
        cwriter.close()
        return
    try:
        await asyncio.gather(
            pump(creader, swriter, delay, loop), pump(sreader, cwriter, delay, loop)
        )
    finally:
        for w in (cwriter, swriter):
            try:
                w.close()
            except OSError:
                pass


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", required=True, help="HOST:PORT to forward to (loopback)")
    ap.add_argument("--port", type=int, required=True, help="port to listen on, every address")
    ap.add_argument("--delay-ms", type=float, default=10.0, help="one-way delay (default 10)")
    ap.add_argument("--ready-file", required=True, help="written (pid) once listening")
    ap.add_argument("addrs", nargs="+", help="loopback addresses to listen on")
    a = ap.parse_args()
    uh, _, up = a.upstream.rpartition(":")
    if not loopback(uh) or not all(loopback(x) for x in a.addrs):
        sys.exit("latency_proxy.py: only loopback addresses (127.0.0.0/8) are allowed")
    upstream = (uh, int(up))
    delay = a.delay_ms / 1000.0
    servers = []
    for addr in a.addrs:
        servers.append(
            await asyncio.start_server(
                lambda r, w: handle(r, w, upstream, delay), addr, a.port, reuse_address=True
            )
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    tmp = a.ready_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{os.getpid()}\n")
    os.replace(tmp, a.ready_file)
    await stop.wait()
    for s in servers:
        s.close()


if __name__ == "__main__":
    asyncio.run(main())
