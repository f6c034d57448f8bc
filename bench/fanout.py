"""Fan-out benchmark: one event to N sockets through Daphne + Redis, against a bare ``websockets`` baseline.

    python -m bench.fanout --clients 2000 --processes 2 --events 5 --json bench/results/fanout.json

Phase 1 starts P Daphne processes on one Redis; N real WebSocket clients
(spread over client processes, round-robin over the Daphne processes) send
``watch`` on the diagnostics socket, which attaches them to the per-process
fan-out hub. The bench then publishes E events, each one Redis PUBLISH, and
every client records when it received each frame.

Phase 2, in the same run, starts a bare ``websockets`` server in its own
process, connects the same N clients to it and has it write the same payload
to every client in a loop: the floor for delivering one frame to N sockets
with Python on this machine.

Latency of a delivery = receive time - publish time (same machine clock).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import secrets
import time

from bench._harness import (
    DEFAULT_REDIS_URL,
    ROOT,
    DaphneServer,
    free_port,
    machine,
    percentile,
    raise_fd_limit,
    write_json,
)

PAYLOAD_TEXT = "下列哪一项不属于《中华人民共和国禁毒法》所称的毒品？"
CHOICES = ["海洛因", "甲基苯丙胺（冰毒）", "大麻", "咖啡"]


def event_frame(index: int) -> str:
    event = {
        "type": "question",
        "index": index,
        "total": 20,
        "question_id": 1000 + index,
        "text": PAYLOAD_TEXT,
        "choices": [{"id": 10 * index + i, "text": text} for i, text in enumerate(CHOICES)],
        "t": time.time(),
    }
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


# Client swarm (runs in child processes) ------------------------------------------


async def _swarm(targets, room, events, ready, go_deadline, results):
    import websockets

    latencies, received = [], 0
    connected = []

    async def connect(url, origin):
        ws = await websockets.connect(url, origin=origin, open_timeout=60, ping_interval=None, max_queue=None)
        if room:
            await ws.send(json.dumps({"type": "watch", "room": room}))
            reply = json.loads(await ws.recv())
            assert reply["type"] == "watching", reply
        connected.append(ws)

    semaphore = asyncio.Semaphore(100)

    async def guarded(url, origin):
        async with semaphore:
            try:
                await connect(url, origin)
            except Exception as exc:  # noqa: BLE001 - counted as not connected
                print("connect failed:", type(exc).__name__, exc)

    await asyncio.gather(*(guarded(url, origin) for url, origin in targets))
    ready.put(len(connected))

    async def read(ws):
        nonlocal received
        try:
            for _ in range(events):
                frame = await asyncio.wait_for(ws.recv(), timeout=max(1.0, go_deadline - time.time()))
                now = time.time()
                event = json.loads(frame)
                latencies.append(now - event["t"])
                received += 1
        except Exception:  # noqa: BLE001 - timeouts and closed sockets: missing frames are counted
            return

    await asyncio.gather(*(read(ws) for ws in connected))
    for ws in connected:
        await ws.close()
    results.put({"connected": len(connected), "received": received, "latencies": latencies})


def _client_process(targets, room, events, ready, go_deadline, results):
    raise_fd_limit()
    asyncio.run(_swarm(targets, room, events, ready, go_deadline, results))


def run_swarm(targets, room, events, publish, client_procs, settle=1.0, gap=1.0):
    """Connect every target, call ``publish(i)`` for each event, gather the clients' figures."""
    ctx = mp.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    deadline = time.time() + 120 + events * (gap + 10)
    chunks = [targets[i::client_procs] for i in range(client_procs)]
    procs = [
        ctx.Process(target=_client_process, args=(chunk, room, events, ready, deadline, results)) for chunk in chunks
    ]
    for proc in procs:
        proc.start()
    connected = sum(ready.get(timeout=300) for _ in procs)
    time.sleep(settle)
    for index in range(events):
        publish(index)
        time.sleep(gap)
    gathered = [results.get(timeout=events * (gap + 10) + 120) for _ in procs]
    for proc in procs:
        proc.join(30)
    latencies = [value for item in gathered for value in item["latencies"]]
    return connected, sum(item["received"] for item in gathered), latencies


# Baseline server (runs in a child process) ------------------------------------------------


def _baseline_server(port, control):
    raise_fd_limit()

    async def main():
        import websockets

        clients = set()

        async def handler(ws):
            clients.add(ws)
            try:
                await ws.wait_closed()
            finally:
                clients.discard(ws)

        async with websockets.serve(handler, "127.0.0.1", port, ping_interval=None, max_queue=None):
            control.put("ready")
            loop = asyncio.get_running_loop()
            while True:
                command = await loop.run_in_executor(None, control.get)
                if command is None:
                    return
                # The floor: write one pre-encoded frame to every socket.
                for ws in list(clients):
                    try:
                        await ws.send(command)
                    except Exception:  # noqa: BLE001 - a closed socket just misses the frame
                        continue

    asyncio.run(main())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2, help="Daphne processes")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--gap", type=float, default=1.5, help="seconds between events")
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    raise_fd_limit()

    import redis

    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    prefix = "bench-" + secrets.token_hex(4)
    room = secrets.token_hex(12)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",
        "REDIS_URL": redis_url,
        "CHANNELS_PREFIX": prefix,
        "LOG_LEVEL": "WARNING",
    }
    servers = [DaphneServer(env, ROOT / "bench" / "results" / "logs").start() for _ in range(args.processes)]
    client = redis.Redis.from_url(redis_url)
    try:
        rss_before = sum(server.rss_kb() for server in servers)
        targets = [
            (servers[i % len(servers)].ws_url + "/ws/ping/", servers[i % len(servers)].url) for i in range(args.clients)
        ]
        channel = f"{prefix}:fanout:diag:{room}"
        connected, received, latencies = run_swarm(
            targets,
            room,
            args.events,
            lambda i: client.publish(channel, event_frame(i)),
            args.client_processes,
            gap=args.gap,
        )
        rss_after = sum(server.rss_kb() for server in servers)
    finally:
        for server in servers:
            server.stop()

    ctx = mp.get_context("spawn")
    control = ctx.Queue()
    port = free_port()
    baseline = ctx.Process(target=_baseline_server, args=(port, control))
    baseline.start()
    try:
        control.get(timeout=30)
        base_targets = [(f"ws://127.0.0.1:{port}/", None)] * args.clients
        base_connected, base_received, base_latencies = run_swarm(
            base_targets, None, args.events, lambda i: control.put(event_frame(i)), args.client_processes, gap=args.gap
        )
    finally:
        control.put(None)
        baseline.join(10)
        if baseline.is_alive():
            baseline.kill()

    expected = args.clients * args.events
    p99, base_p99 = percentile(latencies, 99), percentile(base_latencies, 99)
    result = {
        "benchmark": "fanout",
        "clients": args.clients,
        "processes": args.processes,
        "events": args.events,
        "connected": connected,
        "delivered_pct": round(100 * received / expected, 3) if expected else 0,
        "fanout_p50_s": percentile(latencies, 50),
        "fanout_p99_s": p99,
        "fanout_max_s": max(latencies) if latencies else None,
        "baseline_connected": base_connected,
        "baseline_delivered_pct": round(100 * base_received / expected, 3) if expected else 0,
        "baseline_fanout_p50_s": percentile(base_latencies, 50),
        "baseline_fanout_p99_s": base_p99,
        "fanout_ratio_vs_baseline": round(p99 / base_p99, 2) if p99 and base_p99 else None,
        "rss_per_conn_kb": round((rss_after - rss_before) / max(connected, 1), 1),
        "machine": machine(),
    }
    write_json(args.json_path, result)
    return result


if __name__ == "__main__":
    main()
