#!/usr/bin/env python3
"""Runs the twelvefactor benchmarks side by side and writes a Markdown table of ratios.

Started by bench/run, which installs the load tools and builds the jars. Standard library only.
Every comparison runs its variants in one run, alternating (A B B A ...) after a warm-up, so
drift on a shared machine hits both sides alike; ratios are taken per round and summarised as
median and min-max. Exits 0 whatever the bars say, 2 when the harness itself breaks.
"""
import argparse
import asyncio
import concurrent.futures
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

HELLO = b"Hello from twelvefactor"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Full run: about 10 minutes on 2 cores. Smoke run: every path once, in seconds.
MODES = {
    "full": dict(warmup=15, duration=5, rounds=6, load_rounds=4, startup_runs=8, startup_warm=1,
                 hung=100, hung_warm=True, hung_client_timeout=15, gunicorn_hung=8),
    "smoke": dict(warmup=1, duration=1, rounds=1, load_rounds=1, startup_runs=1, startup_warm=0,
                  hung=5, hung_warm=False, hung_client_timeout=4, gunicorn_hung=2),
}

# Comparison 9, admission under overload: CPU-bound handlers, far more clients than the replica serves.
ADMISSION_OVERLOAD = {
    "full": dict(clients=200, seconds=10, rounds=2, compute_ms=20),
    "smoke": dict(clients=40, seconds=2, rounds=1, compute_ms=20),
}
DEADLINE_SECONDS = 1.0

# Warm-up past the given time: windows of this many seconds until the CPU per request of the last few is
# within this share of their lowest, for at most this many times the given time
WARM_UP_WINDOW = 5
WARM_UP_STEADY = 0.05
WARM_UP_STEADY_WINDOWS = 3
WARM_UP_LONGEST = 8
# Comparison 1's load: connections to `GET /`
ACCESS_LOG_CONNECTIONS = 16

# Comparison 10, the adaptive limit: I/O-bound and CPU-bound handlers and a step from one to the other,
# each at 64 connections, against the adaptive limit and two fixed ones. The step's phases last `step` s.
ADAPTIVE = {
    "full": dict(connections=64, warmup=10, seconds=8, rounds=3, step=20, io_ms=50, cpu_ms=5, poll=0.25),
    "smoke": dict(connections=64, warmup=1, seconds=1, rounds=1, step=2, io_ms=50, cpu_ms=5, poll=0.25),
}

# The smoke run checks the harness, not the numbers: the JVM's quick (C1) compiler alone starts its
# JVMs faster.
JAVA_OPTIONS = {"full": [], "smoke": ["-XX:TieredStopAtLevel=1"]}

# Variables that would change what a server does if they leaked in from the caller's shell.
SCRUBBED = re.compile(r"^(TWELVEFACTOR_|SPRING_|SERVER_|MANAGEMENT_|LOGGING_|JAVA_TOOL_OPTIONS$|JDK_JAVA_OPTIONS$|"
                      r"_JAVA_OPTIONS$|WEB_CONCURRENCY$|GUNICORN_|PORT$|LOG_LEVEL$|SSL_|GUNICORN_CMD_ARGS$)")

PLAIN_TOMCAT_STDOUT_LOG = [
    "--server.tomcat.accesslog.enabled=true",
    "--server.tomcat.accesslog.directory=/dev",
    "--server.tomcat.accesslog.prefix=stdout",
    "--server.tomcat.accesslog.suffix=",
    "--server.tomcat.accesslog.file-date-format=",
    "--server.tomcat.accesslog.rotate=false",
    "--server.tomcat.accesslog.pattern=combined",
]


class HarnessError(Exception):
    """The harness could not measure (as opposed to a bar being missed)."""


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------- closed loop

async def _exchange(port, path, timeout):
    """One request on a connection of its own: (status, or None for no answer, and seconds)."""
    started = time.perf_counter()
    writer = None
    try:
        async def exchange():
            nonlocal writer
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            return await reader.read()
        response = await asyncio.wait_for(exchange(), timeout)
        status = int(response[9:12]) if response.startswith(b"HTTP/1.") else None
    except (OSError, asyncio.TimeoutError, ValueError):
        status = None
    finally:
        if writer is not None:
            writer.close()
    return status, time.perf_counter() - started


def closed_loop(port, path, clients, seconds, timeout=10.0):
    """`clients` clients, each sending its next request when the previous one is answered, for `seconds`."""
    async def run():
        results = []
        end = time.perf_counter() + seconds

        async def client():
            while time.perf_counter() < end:
                results.append(await _exchange(port, path, timeout))

        await asyncio.gather(*(client() for _ in range(clients)))
        return results
    return asyncio.run(run())


# ---------------------------------------------------------------------------------------- stats

def median(values):
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return float("nan")
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values, p):
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def ratio_summary(pairs):
    """Median and min-max of per-round ratios a/b."""
    ratios = [a / b for a, b in pairs if b]
    if not ratios:
        return dict(median=float("nan"), low=float("nan"), high=float("nan"), n=0)
    return dict(median=median(ratios), low=min(ratios), high=max(ratios), n=len(ratios))


def fmt_ratio(summary):
    if summary["n"] == 0:
        return "n/a", "n/a"
    spread = "—" if summary["n"] == 1 else f"{summary['low']:.3f}–{summary['high']:.3f}"
    return f"{summary['median']:.3f}", spread


# -------------------------------------------------------------------------------------- servers

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not SCRUBBED.match(k)}
    env.update(extra or {})
    return env


def http_get(port, path, timeout):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """A server process whose standard output is read by a pipe, as in a container.

    The reader is mawk: it keeps the first lines (to check the access log's format) and counts
    them all, so the harness knows the access log was really written.
    """

    def __init__(self, name, command, env, port, workdir, cwd=None):
        self.name = name
        self.command = command
        self.env = env
        self.port = port
        self.cwd = cwd
        self.sample_path = os.path.join(workdir, f"{name}.stdout-head.txt")
        self.stderr_path = os.path.join(workdir, f"{name}.stderr.txt")
        self.process = None
        self.reader = None
        self.lines = None

    def start(self):
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(self.command, env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=self._stderr, start_new_session=True)
        self.reader = subprocess.Popen(["awk", "-v", f"f={self.sample_path}", "NR<=5{print > f} END{print NR}"],
                                       stdin=self.process.stdout, stdout=subprocess.PIPE)
        self.process.stdout.close()
        return self

    def wait_ready(self, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"{self.name} exited with {self.process.returncode} before it was ready; "
                                   f"see {self.stderr_path}:\n{tail(self.stderr_path)}")
            try:
                status, body = http_get(self.port, "/", 2)
                if status == 200:
                    if HELLO not in body:
                        raise HarnessError(f"{self.name}: GET / answered {body[:200]!r}")
                    return self
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise HarnessError(f"{self.name} was not ready within {timeout} s; see {self.stderr_path}")

    def wait_idle(self, timeout=15):
        """For a starter: wait until no request waits for admission. When wrk ends a run it closes its
        connections, but the requests they sent stay queued until admitted (their handlers then run for nobody)
        or until max-queue-wait: the next run must not start behind them."""
        if not self.env.get("TWELVEFACTOR_BIND"):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status, body = http_get(self.port, "/actuator/metrics/twelvefactor.requests.waiting", 2)
                if status == 200 and json.loads(body)["measurements"][0]["value"] == 0:
                    return
            except (OSError, http.client.HTTPException, ValueError, KeyError, IndexError):
                pass
            time.sleep(0.05)
        raise HarnessError(f"{self.name}: requests still waiting for admission after {timeout} s")

    def pids(self):
        """The server's process and its children (Gunicorn's workers)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [self.process.pid] + [int(p) for p in out.stdout.split()]

    def cpu_seconds(self):
        """CPU time of the server and its workers, dead ones included, so rounds can be compared by cost."""
        pids = self.pids()
        return cpu_seconds(pids[0], children=True) + sum(cpu_seconds(p) for p in pids[1:])

    def rss_kib(self):
        out = subprocess.run(["ps", "-o", "rss=", "-p", ",".join(map(str, self.pids()))], capture_output=True,
                             text=True)
        values = [int(v) for v in out.stdout.split()]
        if not values:
            raise HarnessError(f"{self.name}: ps found no process")
        return sum(values)

    def stop(self, grace=20):
        if self.process is None or self.lines is not None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        try:
            out, _ = self.reader.communicate(timeout=30)
            self.lines = int(out.strip() or 0)
        except subprocess.TimeoutExpired:
            self.reader.kill()
            self.lines = -1
        self._stderr.close()

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        if self.reader is not None and self.reader.poll() is None:
            self.reader.kill()
            self.reader.wait()

    def head(self):
        try:
            with open(self.sample_path, encoding="utf-8", errors="replace") as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []


def cpu_seconds(pid, children=False):
    """CPU time (user + system) a process has used; with children, also that of its reaped children."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / CLOCK_TICKS


def tail(path, lines=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except FileNotFoundError:
        return ""


def time_to_first_answer(name, command, env, port, cwd=None, running=None):
    """Starts a server, polls GET / every 10 ms until it answers 200, kills it; returns wall and CPU ms.

    running, when given, says whether the server still runs (a detached container); else the process must.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            code = process.poll()
            alive = (code in (None, 0) and running()) if running else code is None
            if not alive:
                raise HarnessError(f"{name} exited with {process.poll()} during the startup test")
            if time.perf_counter() - started > 180:
                raise HarnessError(f"{name} not ready within 180 s")
            try:
                status, _ = http_get(port, "/", 2)
                if status == 200:
                    return (time.perf_counter() - started) * 1000, cpu_seconds(process.pid) * 1000
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.01)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def image_jvm_options(dockerfile):
    """The JVM options the production image sets (its ENV JAVA_TOOL_OPTIONS line)."""
    with open(dockerfile, encoding="utf-8") as f:
        found = re.search(r'^ENV JAVA_TOOL_OPTIONS="([^"]+)"', f.read(), re.MULTILINE)
    if not found:
        raise HarnessError(f"no ENV JAVA_TOOL_OPTIONS line in {dockerfile}")
    return found.group(1)


class ContainerServer(Server):
    """The production image run by podman on the host network; podman's output is read by a pipe."""

    def __init__(self, name, image, port, workdir, workers, limit="512m", cpus="2", env=None):
        self.container = f"bench-{name}-{os.getpid()}"
        command = ["podman", "run", "--rm", "--name", self.container, "--network=host", "--read-only",
                   "--tmpfs", "/tmp", "-m", limit, "--cpus", cpus, "-e", f"WEB_CONCURRENCY={workers}",
                   "-e", f"TWELVEFACTOR_BIND=127.0.0.1:{port}", "-e", f"MANAGEMENT_SERVER_PORT={port}", image]
        super().__init__(name, command, clean_env(env), port, workdir)

    def pids(self):
        """The JVM in the container, as the host sees it."""
        out = subprocess.run(["podman", "inspect", "-f", "{{.State.Pid}}", self.container], capture_output=True,
                             text=True)
        pid = int(out.stdout.strip() or 0)
        if pid <= 0:
            raise HarnessError(f"{self.name}: container {self.container} is not running")
        return [pid]

    def cpu_seconds(self):
        return cpu_seconds(self.pids()[0])

    def stop(self, grace=20):
        if self.process is not None and self.process.poll() is None:
            subprocess.run(["podman", "stop", "-t", str(grace), self.container], capture_output=True)
        super().stop(grace)

    def kill(self):
        subprocess.run(["podman", "rm", "-f", "-t", "0", self.container], capture_output=True)
        super().kill()


# ------------------------------------------------------------------------------------------- load

class Load:
    def __init__(self, lua, workdir):
        self.lua = lua
        self.workdir = workdir
        self.served = {}

    def wrk(self, server, path, connections, seconds, script=None, variables=None):
        """Closed-loop load from one wrk thread; returns throughput, latencies and errors.

        script, when given, is a wrk script that chooses the requests (and includes summary.lua, whose path it
        finds in BENCH_SUMMARY_LUA); variables are added to its environment.
        """
        url = f"http://127.0.0.1:{server.port}{path}"
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script or self.lua,
                   url]
        env = {**os.environ, "BENCH_SUMMARY_LUA": os.path.abspath(self.lua), **(variables or {})}
        server.wait_idle()
        cpu_before = server.cpu_seconds()
        started = time.time()
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, env=env)
        ended = time.time()
        cpu = server.cpu_seconds() - cpu_before
        line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH_JSON ")), None)
        if done.returncode != 0 or line is None:
            raise HarnessError(f"wrk against {server.name} failed ({done.returncode}): {done.stdout} {done.stderr}")
        result = json.loads(line[len("BENCH_JSON "):])
        if result["requests"] == 0:
            raise HarnessError(f"wrk against {server.name} completed no request: {done.stdout}")
        if server.process.poll() is not None:
            raise HarnessError(f"{server.name} died under load; see {server.stderr_path}")
        self.served[server.name] = self.served.get(server.name, 0) + result["requests"]
        errors = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
        return dict(rps=result["requests"] / (result["duration_us"] / 1e6), p50_ms=result["p50_us"] / 1000,
                    p99_ms=result["p99_us"] / 1000, max_ms=result["max_us"] / 1000, errors=errors,
                    requests=result["requests"], cpu_us=cpu * 1e6 / result["requests"], window=(started, ended),
                    error_detail={k: result[k] for k in ("connect", "read", "write", "status", "timeout")})

    def alternate(self, servers, path, connections, seconds, rounds, warmup):
        """Warm each server up, then run the rounds, rotating and reversing the order each round."""
        for server in servers:
            self.warm_up(server, path, connections, warmup)
        results = {server.name: [] for server in servers}
        for i in range(rounds):
            order = servers[i % len(servers):] + servers[:i % len(servers)]
            if i % 2:
                order.reverse()
            for server in order:
                r = self.wrk(server, path, connections, seconds)
                log(f"round {i + 1}/{rounds} {server.name}: {r['rps']:.0f} req/s, p99 {r['p99_ms']:.1f} ms, "
                    f"{r['cpu_us']:.0f} µs CPU/request, {r['errors']} errors")
                results[server.name].append(r)
        return results


    def warm_up(self, server, path, connections, seconds):
        """Load a server for the given time, then on until it is warm: until the CPU per request of the
        last WARM_UP_STEADY_WINDOWS windows of WARM_UP_WINDOW seconds is within WARM_UP_STEADY of their
        lowest, at most WARM_UP_LONGEST times the given time in all. A JVM's compilers can still be at
        work after a minute of load on 2 cores, and a round measured then says more about the JIT than
        about the request path; one window like the one before is not enough (a big compilation can
        hold the cost on a plateau for ten seconds)."""
        log(f"warm-up {server.name}: {seconds} s or more, {connections} connections, GET {path}")
        self.wrk(server, path, connections, seconds)
        if seconds < WARM_UP_WINDOW:
            return
        windows = []
        for _ in range(int(seconds * (WARM_UP_LONGEST - 1) / WARM_UP_WINDOW)):
            windows.append(self.wrk(server, path, connections, WARM_UP_WINDOW)["cpu_us"])
            last = windows[-WARM_UP_STEADY_WINDOWS:]
            if len(last) == WARM_UP_STEADY_WINDOWS and max(last) <= (1 + WARM_UP_STEADY) * min(last):
                log(f"warm-up {server.name}: steady at {last[-1]:.0f} µs CPU/request after "
                    f"{seconds + WARM_UP_WINDOW * len(windows)} s")
                return
        log(f"warm-up {server.name}: not steady after {WARM_UP_LONGEST} × {seconds} s "
            f"({', '.join(f'{w:.0f}' for w in windows[-WARM_UP_STEADY_WINDOWS:])} µs CPU/request)")


# ------------------------------------------------------------------------------------ benchmarks

class Bench:
    def __init__(self, args):
        self.args = args
        self.mode = MODES[args.mode]
        self.workdir = args.workdir
        self.load = Load(args.lua, self.workdir)
        self.cores = os.cpu_count() or 1
        self.workers = max(3, 2 * self.cores + 1)  # the starter's default WEB_CONCURRENCY
        self.servers = {}
        self.rows = []  # (comparison, metric, a_vs_b, median, spread, bar, verdict)
        self.details = []
        self.raw = {}

    # --- servers used by several comparisons

    def starter(self, name, **variables):
        port = free_port()
        # The sample app puts the actuator on a port of its own (a second Tomcat); the plain app does
        # not: compare like with like, the actuator on the application's port.
        env = clean_env({"TWELVEFACTOR_BIND": f"127.0.0.1:{port}", "MANAGEMENT_SERVER_PORT": str(port), **variables})
        command = [self.args.java, *JAVA_OPTIONS[self.args.mode], "-jar", self.args.sample_jar]
        return Server(name, command, env, port, self.workdir)

    def plain(self, name, *arguments):
        port = free_port()
        command = [self.args.java, *JAVA_OPTIONS[self.args.mode], "-jar", self.args.plain_jar,
                   "--server.address=127.0.0.1", f"--server.port={port}", *arguments]
        return Server(name, command, clean_env(), port, self.workdir)

    def gunicorn(self, name, workers, timeout, *options):
        port = free_port()
        command = [self.args.gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout",
                   str(timeout), "--access-logfile", "-", *options, "benchapp:application"]
        env = clean_env({"WEB_CONCURRENCY": str(workers), "PYTHONDONTWRITEBYTECODE": "1"})
        return Server(name, command, env, port, self.workdir, cwd=self.args.gunicorn_dir)

    def start_all(self, servers):
        for server in servers:
            self.servers[server.name] = server
            server.start()
        for server in servers:
            server.wait_ready()
            log(f"{server.name} ready on 127.0.0.1:{server.port}")

    def stop_all(self):
        for server in self.servers.values():
            server.stop()

    def kill_all(self):
        for server in self.servers.values():
            server.kill()

    def row(self, comparison, metric, versus, summary, bar=None, meets=None):
        value, spread = fmt_ratio(summary) if isinstance(summary, dict) else (summary, "—")
        verdict = "" if meets is None else ("met" if meets else "**missed**")
        self.rows.append((comparison, metric, versus, value, spread, bar or "—", verdict))

    # --- 1. access-log cost

    def access_log(self):
        m = self.mode
        variants = [
            self.servers["starter-combined"], self.servers["starter-ecs"], self.servers["starter-json"],
            self.servers["starter-off"], self.servers["starter-off-unqueued"], self.servers["plain-tomcat-log"],
            self.servers["plain"],
        ]
        results = self.load.alternate(variants, "/", ACCESS_LOG_CONNECTIONS, m["duration"], m["rounds"], m["warmup"])
        self.raw["access_log"] = results
        # Judged: the default format and the structured one; json and Boot's own valve are reference
        pairs = [("starter-combined", "starter-off", "starter, `combined` / `off`", True),
                 ("starter-ecs", "starter-off", "starter, `ecs` / `off`", True),
                 ("starter-json", "starter-off", "starter, `json` / `off`", False),
                 ("plain-tomcat-log", "plain", "plain Boot, Tomcat log to /dev/stdout / none", False)]
        # The starter's whole request path (admission, deadline, counting), access log off, against plain
        # Boot: judged where no request waits for admission (plain Boot runs all 16 at once too); with
        # the seed's limit of 5, 11 of the 16 wait, and each wait is a thread parked and woken
        for name, label, judged in (
                ("starter-off-unqueued", f"starter, limit {ACCESS_LOG_CONNECTIONS}, access log `off` / plain Boot",
                 True),
                ("starter-off", f"starter, limit {self.workers} (requests wait), access log `off` / plain Boot",
                 False)):
            cpu = ratio_summary([(x["cpu_us"], y["cpu_us"]) for x, y in zip(results[name], results["plain"])])
            tput = ratio_summary([(x["rps"], y["rps"]) for x, y in zip(results[name], results["plain"])])
            self.row("1 request path", "server CPU per request", label, cpu, "≤ 1.05" if judged else "(reference)",
                     cpu["median"] <= 1.05 if judged else None)
            self.row("1 request path", "throughput", label, tput)
        for a, b, label, judged in pairs:
            tput = ratio_summary([(x["rps"], y["rps"]) for x, y in zip(results[a], results[b])])
            p99 = ratio_summary([(x["p99_ms"], y["p99_ms"]) for x, y in zip(results[a], results[b])])
            cpu = ratio_summary([(x["cpu_us"], y["cpu_us"]) for x, y in zip(results[a], results[b])])
            self.row("1 access log", "throughput", label, tput, "≥ 0.97" if judged else "(reference)",
                     tput["median"] >= 0.97 if judged else None)
            self.row("1 access log", "p99 latency", label, p99, "≤ 1.10" if judged else "(reference)",
                     p99["median"] <= 1.10 if judged else None)
            self.row("1 access log", "server CPU per request", label, cpu, "≤ 1.03" if judged else "(reference)",
                     cpu["median"] <= 1.03 if judged else None)
        for name in results:
            rs = results[name]
            self.details.append(f"| 1 | {name} | {median([r['rps'] for r in rs]):.0f} req/s | "
                                f"p99 {median([r['p99_ms'] for r in rs]):.2f} ms, "
                                f"{median([r['cpu_us'] for r in rs]):.0f} µs CPU/request | "
                                f"{sum(r['errors'] for r in rs)} errors |")

    def check_access_log_lines(self):
        """Fails the harness when an access log that is on wrote fewer lines than requests served."""
        checks = {"starter-combined": re.compile(r'^127\.0\.0\.1 - - \[[^]]+\] "GET / HTTP/1\.1" 200 \d+ "-" "[^"]*"$'),
                  "starter-ecs": None, "starter-json": None, "plain-tomcat-log": None}
        for name, pattern in checks.items():
            server = self.servers[name]
            served = self.load.served.get(name, 0)
            if server.lines < served:
                raise HarnessError(f"{name} wrote {server.lines} stdout lines for {served} requests: "
                                   f"the access log is not on, so comparison 1 measured nothing")
            head = server.head()
            if name == "starter-combined" and not any(pattern.match(l) for l in head):
                raise HarnessError(f"{name}: no combined access line on stdout: {head}")
            if name in ("starter-json", "starter-ecs"):
                try:
                    line = json.loads(next(l for l in head if l.startswith("{")))
                except (StopIteration, ValueError):
                    raise HarnessError(f"{name}: no JSON access line on stdout: {head}")
                if name == "starter-ecs" and "ecs" not in line:
                    raise HarnessError(f"{name}: the access line is not ECS: {head}")
        off = self.servers["starter-off"]
        if off.lines > 10:
            raise HarnessError(f"starter-off wrote {off.lines} stdout lines with TWELVEFACTOR_ACCESS_LOG=off")
        self.details.append(f"| 1 | stdout lines read by the pipe | " + ", ".join(
            f"{n}: {self.servers[n].lines} for {self.load.served.get(n, 0)} requests"
            for n in ("starter-combined", "starter-ecs", "starter-json", "starter-off", "plain-tomcat-log")) + " | | |")

    # --- 2. startup cost

    def startup(self):
        """Start to first 200: the sample app with the starter, the same jar with the starter switched off
        (TWELVEFACTOR_ENABLED=false: same classes, the fairest baseline), and the plain app."""
        m = self.mode
        kinds = ("starter", "off", "plain")

        def once(kind):
            port = free_port()
            if kind == "starter":
                command = [self.args.java, *JAVA_OPTIONS[self.args.mode], "-jar", self.args.sample_jar]
                env = clean_env({"TWELVEFACTOR_BIND": f"127.0.0.1:{port}", "MANAGEMENT_SERVER_PORT": str(port)})
            elif kind == "off":
                command = [self.args.java, *JAVA_OPTIONS[self.args.mode], "-jar", self.args.sample_jar]
                env = clean_env({"TWELVEFACTOR_ENABLED": "false", "SERVER_ADDRESS": "127.0.0.1",
                                 "SERVER_PORT": str(port), "MANAGEMENT_SERVER_PORT": str(port)})
            else:
                command = [self.args.java, *JAVA_OPTIONS[self.args.mode], "-jar", self.args.plain_jar,
                           "--server.address=127.0.0.1", f"--server.port={port}"]
                env = clean_env()
            return time_to_first_answer(f"{kind} app", command, env, port)

        for _ in range(m["startup_warm"]):
            for kind in kinds:
                log(f"startup warm-up (page cache) {kind}: {once(kind)[0]:.0f} ms")
        times = {kind: [] for kind in kinds}
        cpu = {kind: [] for kind in kinds}
        for i in range(m["startup_runs"]):
            order = kinds if i % 2 == 0 else tuple(reversed(kinds))
            for kind in order:
                wall, used = once(kind)
                times[kind].append(wall)
                cpu[kind].append(used)
            log(f"startup run {i + 1}/{m['startup_runs']}: " + ", ".join(
                f"{kind} {times[kind][-1]:.0f} ms ({cpu[kind][-1]:.0f} ms CPU)" for kind in kinds))
        self.raw["startup_ms"] = times
        self.raw["startup_cpu_ms"] = cpu
        for baseline, versus, bar in (("off", "with starter / starter switched off (same jar)", 1.03),
                                      ("plain", "with starter / plain app", None)):
            summary = ratio_summary(list(zip(times["starter"], times[baseline])))
            self.row("2 startup", "start to first 200", versus, summary, f"≤ {bar}" if bar else "(reference)",
                     summary["median"] <= bar if bar else None)
            delta = median([a - b for a, b in zip(times["starter"], times[baseline])])
            self.row("2 startup", "difference, ms (median of pairs)", versus.replace(" / ", " − "), f"{delta:+.0f} ms")
            cpu_summary = ratio_summary(list(zip(cpu["starter"], cpu[baseline])))
            self.row("2 startup", "CPU time to first 200", versus, cpu_summary)
        self.details.append(f"| 2 | start to first 200 | " + ", ".join(
            f"{kind} {median(times[kind]):.0f} ms ({median(cpu[kind]):.0f} ms CPU)" for kind in kinds)
            + f", {m['startup_runs']} runs each | |")

    # --- 3. deadline precision

    def hung_requests(self, server, count, concurrency, client_timeout, deadline_ms):
        def one(_):
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=client_timeout)
            try:
                conn.request("GET", "/sleep?ms=10000")
                response = conn.getresponse()
                response.read()
                outcome = str(response.status)
            except http.client.RemoteDisconnected:
                outcome = "closed, no response"
            except ConnectionResetError:
                outcome = "reset, no response"
            except socket.timeout:
                outcome = f"no answer in {client_timeout} s"
            finally:
                conn.close()
            return outcome, (time.perf_counter() - started) * 1000 - deadline_ms

        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            return list(pool.map(one, range(count)))

    def deadline(self):
        m = self.mode
        server = self.servers["starter-timeout-1s"]
        if m["hung_warm"]:
            self.hung_requests(server, self.workers, self.workers, m["hung_client_timeout"], 1000)
        log(f"deadline: {m['hung']} hung requests, {self.workers} at a time")
        results = self.hung_requests(server, m["hung"], self.workers, m["hung_client_timeout"], 1000)
        if server.process.poll() is not None:
            raise HarnessError("the sample app died during the deadline test")
        self.raw["deadline"] = results
        over = [o for _, o in results]
        outcomes = summarize_outcomes(results)
        p99 = percentile(over, 99)
        self.row("3 deadline", "answer − deadline, median", f"starter, {len(results)} requests, `{outcomes}`",
                 f"{median(over):.0f} ms")
        self.row("3 deadline", "answer − deadline, p99", "starter", f"{p99:.0f} ms", "< 100 ms",
                 p99 < 100 and all(o == "503" for o, _ in results))
        self.row("3 deadline", "answer − deadline, max", "starter", f"{max(over):.0f} ms")

        # Started only now, on a quiet machine, and preloaded: Gunicorn's timeout is a heartbeat, and a
        # worker still importing Django after 1 s on a busy machine is killed, again and again.
        gunicorn = self.gunicorn("gunicorn-timeout-1s", 2, 1, "--preload")
        self.start_all([gunicorn])
        log(f"deadline: {m['gunicorn_hung']} hung requests to Gunicorn --timeout 1")
        g = self.hung_requests(gunicorn, m["gunicorn_hung"], 2, m["hung_client_timeout"], 1000)
        self.raw["gunicorn_deadline"] = g
        g_over = [o for _, o in g]
        self.row("3 deadline", "Gunicorn: answer − deadline, median / max",
                 f"gunicorn --timeout 1, {len(g)} requests, `{summarize_outcomes(g)}`",
                 f"{median(g_over):.0f} / {max(g_over):.0f} ms")

    # --- 4. overload

    def overload(self):
        m = self.mode
        variants = [self.servers["starter-combined"], self.servers["plain"], self.servers["starter-sized"]]
        connections = 4 * self.workers
        results = self.load.alternate(variants, "/sleep?ms=50", connections, m["duration"], m["load_rounds"],
                                      max(1, m["warmup"] // 2))
        self.raw["overload"] = results
        base = results["starter-combined"]
        labels = {"plain": f"plain Boot (200 threads) / starter, the seed's {self.workers}",
                  "starter-sized": f"starter `WEB_CONCURRENCY={connections}` / the seed's {self.workers}"}
        for name in ("plain", "starter-sized"):
            tput = ratio_summary([(x["rps"], y["rps"]) for x, y in zip(results[name], base)])
            p99 = ratio_summary([(x["p99_ms"], y["p99_ms"]) for x, y in zip(results[name], base)])
            self.row("4 overload", "throughput", labels[name], tput)
            self.row("4 overload", "p99 latency", labels[name], p99)
        threads = {"starter-combined": self.workers, "plain": 200, "starter-sized": connections}
        for name, rs in results.items():
            errors = sum(r["errors"] for r in rs)
            self.row("4 overload", "errors (all rounds)", name, str(errors))
            self.details.append(f"| 4 | {name}, {threads[name]} threads, {connections} connections, 50 ms handler "
                                f"(ceiling {threads[name] * 20} req/s) | {median([r['rps'] for r in rs]):.0f} req/s | "
                                f"p50 {median([r['p50_ms'] for r in rs]):.0f} ms, "
                                f"p99 {median([r['p99_ms'] for r in rs]):.0f} ms | {errors} errors |")

    # --- 9. admission under overload

    def admission_overload(self):
        """Far more clients than a replica serves, CPU-bound handlers, a 1 s deadline for every server: how many
        requests are answered past it, how fast the excess is told to retry, and how long the served ones take."""
        m = ADMISSION_OVERLOAD[self.args.mode]
        path = f"/compute?ms={m['compute_ms']}"
        names = ["starter-timeout-1s", "plain", "gunicorn-overload"]
        results = {name: [] for name in names}
        for round_number in range(m["rounds"]):
            order = names if round_number % 2 == 0 else list(reversed(names))
            for name in order:
                server = self.servers[name]
                if server.process.poll() is not None:
                    raise HarnessError(f"{name} exited with {server.process.returncode}; see {server.stderr_path}")
                log(f"overload round {round_number + 1}/{m['rounds']}: {name}, {m['clients']} clients, {path}")
                results[name].extend(closed_loop(server.port, path, m["clients"], m["seconds"]))
        self.raw["admission_overload"] = {name: [[status, round(seconds, 4)] for status, seconds in rs]
                                          for name, rs in results.items()}
        labels = {"starter-timeout-1s": f"starter, {self.workers} workers, 1 s timeout",
                  "plain": "plain Boot, 200 threads",
                  "gunicorn-overload": f"Gunicorn, {self.workers} workers, --timeout 1"}
        for name in names:
            rs = results[name]
            if not rs:
                raise HarnessError(f"{name} answered no request under overload")
            served = [seconds for status, seconds in rs if status == 200]
            shed = [seconds for status, seconds in rs if status == 503]
            late = sum(1 for status, seconds in rs if status is None or seconds > DEADLINE_SECONDS)
            label = labels[name]
            self.row("9 admission", "answered past the 1 s deadline", label, f"{100 * late / len(rs):.1f} %")
            self.row("9 admission", "served per second", label, f"{len(served) / (m['seconds'] * m['rounds']):.0f}")
            self.row("9 admission", "p99 of the requests served", label,
                     f"{percentile(served, 99) * 1000:.0f} ms" if served else "none served")
            self.row("9 admission", "time to shed (median of the 503s)", label,
                     f"{median(shed) * 1000:.0f} ms, {len(shed)} shed" if shed else "never sheds")
            statuses = {}
            for status, _ in rs:
                statuses[status] = statuses.get(status, 0) + 1
            self.details.append(f"| 9 | {name}, {m['clients']} clients, {path} | "
                                f"{len(served) / (m['seconds'] * m['rounds']):.0f} served/s | "
                                f"p50 {median([s for _, s in rs]) * 1000:.0f} ms over all | "
                                + ", ".join(f"{count} × {status or 'no answer'}" for status, count in
                                            sorted(statuses.items(), key=lambda kv: -kv[1])) + " |")

    # --- 10. the adaptive limit

    def adaptive(self):
        """The adaptive limit against the seed's fixed limit and plain Boot's 200, on I/O-bound handlers, CPU-bound
        handlers and a step from the first to the second: throughput and p99 against the best fixed limit, the
        limit's range while the load is steady, and how long it takes to settle after the step."""
        a = ADAPTIVE[self.args.mode]
        connections = a["connections"]
        names = {"adaptive-auto": "adaptive (`WEB_CONCURRENCY` unset, `auto`)",
                 "adaptive-seed": f"fixed {self.workers} (the seed's formula)",
                 "adaptive-200": "fixed 200 (plain Boot's pool)"}
        auto, seed, fixed200 = (self.starter("adaptive-auto", TWELVEFACTOR_WORKERS="auto"),
                                self.starter("adaptive-seed", WEB_CONCURRENCY=str(self.workers)),
                                self.starter("adaptive-200", WEB_CONCURRENCY="200"))
        servers = [auto, seed, fixed200]
        self.start_all(servers)
        poller = LimitPoller(auto, a["poll"])
        poller.start()
        try:
            workloads = [("I/O-bound", f"/sleep?ms={a['io_ms']}"), ("CPU-bound", f"/compute?ms={a['cpu_ms']}")]
            steady = {}
            for label, path in workloads:
                results = self.load.alternate(servers, path, connections, a["seconds"], a["rounds"], a["warmup"])
                steady[label] = results
                self.adaptive_rows(label, results, names)
                windows = [r["window"] for r in results[auto.name]]
                limits = [limit for t, limit in poller.samples if any(start <= t <= end for start, end in windows)]
                self.adaptive_range(label, limits)
            step = self.adaptive_step(servers, workloads[0][1], workloads[1][1], poller, names)
        finally:
            poller.stop()
            for server in servers:
                server.stop()
        self.raw["adaptive"] = {"steady": steady, "step": step, "limit_samples": poller.samples}

    def adaptive_rows(self, label, results, names):
        best_rps = {name: median([r["rps"] for r in rs]) for name, rs in results.items()}
        best_p99 = {name: median([r["p99_ms"] for r in rs]) for name, rs in results.items()}
        fixed = [name for name in results if name != "adaptive-auto"]
        by_rps = max(fixed, key=lambda name: best_rps[name])
        by_p99 = min(fixed, key=lambda name: best_p99[name])
        auto = results["adaptive-auto"]
        tput = ratio_summary([(x["rps"], y["rps"]) for x, y in zip(auto, results[by_rps])])
        p99 = ratio_summary([(x["p99_ms"], y["p99_ms"]) for x, y in zip(auto, results[by_p99])])
        comparison = f"10 adaptive, {label}"
        self.row(comparison, "throughput", f"adaptive / best fixed ({names[by_rps]})", tput, "≥ 0.90",
                 tput["median"] >= 0.90)
        self.row(comparison, "p99 latency", f"adaptive / best fixed ({names[by_p99]})", p99, "≤ 1.20",
                 p99["median"] <= 1.20)
        for name, rs in results.items():
            self.details.append(f"| 10 | {label}: {names[name]}, {ADAPTIVE[self.args.mode]['connections']} "
                                f"connections | "
                                f"{best_rps[name]:.0f} req/s | p50 {median([r['p50_ms'] for r in rs]):.0f} ms, "
                                f"p99 {best_p99[name]:.0f} ms | {sum(r['errors'] for r in rs)} errors |")

    def adaptive_range(self, label, limits):
        comparison = f"10 adaptive, {label}"
        if not limits:
            raise HarnessError(f"no sample of the adaptive limit during the {label} rounds")
        middle = median(limits)
        swing = max(max(limits) / middle - 1, 1 - min(limits) / middle)
        self.row(comparison, "limit while steady: median, range", "adaptive",
                 f"{middle:.0f}, {min(limits)}–{max(limits)} ({len(limits)} samples)")
        self.row(comparison, "limit's swing around its median", "adaptive", f"±{100 * swing:.0f} %", "≤ ±20 %",
                 swing <= 0.20)

    def adaptive_step(self, servers, before, after, poller, names):
        """Each server warmed up on `before`, then one run: `before` for a phase, `after` for another."""
        a = ADAPTIVE[self.args.mode]
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "step.lua")
        results, step = {}, {}
        for server in servers:
            log(f"step warm-up {server.name}: {a['warmup']} s, GET {before}")
            self.load.wrk(server, before, a["connections"], a["warmup"])
            # The step falls on a whole second, as wrk's script tells time (os.time).
            step_at = int(time.time()) + a["step"] + 1
            log(f"step {server.name}: GET {before}, then GET {after} from {a['step'] + 1} s on")
            results[server.name] = [self.load.wrk(server, before, a["connections"], 2 * a["step"] + 1, script,
                                                  {"BENCH_PATH_BEFORE": before, "BENCH_PATH_AFTER": after,
                                                   "BENCH_STEP_AT": str(step_at)})]
            step[server.name] = step_at
        self.adaptive_rows("step I/O → CPU", results, names)
        auto = results["adaptive-auto"][0]
        start, end = auto["window"]
        samples = [(t - start, limit) for t, limit in poller.samples if start <= t <= end]
        step_time = step["adaptive-auto"] - start
        settled = settle_time(samples, step_time)
        comparison = "10 adaptive, step I/O → CPU"
        if settled is None:
            self.row(comparison, "time to settle after the step", "adaptive", "did not settle", "≤ 10 s", False)
        else:
            self.row(comparison, "time to settle after the step (within ±20 % of its final value)", "adaptive",
                     f"{settled:.1f} s", "≤ 10 s", settled <= 10)
        plot = os.path.join(self.workdir, "adaptive-step.svg")
        with open(plot, "w", encoding="utf-8") as f:
            f.write(limit_plot(samples, step_time, before, after))
        log(f"plot of the limit over the step: {plot}")
        return {"results": results, "step_at": step, "samples": samples, "settled": settled}

    # --- 5. Gunicorn

    def versus_gunicorn(self):
        m = self.mode
        starter, gunicorn = self.servers["starter-combined"], self.servers["gunicorn"]
        results = self.load.alternate([gunicorn, starter], "/", 16, m["duration"], m["rounds"], m["warmup"])
        self.raw["gunicorn"] = results
        tput = ratio_summary([(x["rps"], y["rps"]) for x, y in zip(results["starter-combined"], results["gunicorn"])])
        p99 = ratio_summary([(x["p99_ms"], y["p99_ms"]) for x, y in
                             zip(results["starter-combined"], results["gunicorn"])])
        label = f"starter / Gunicorn, {self.workers} workers each"
        self.row("5 vs Gunicorn", "throughput", label, tput)
        self.row("5 vs Gunicorn", "p99 latency", label, p99)
        cpu = ratio_summary([(x["cpu_us"], y["cpu_us"]) for x, y in
                             zip(results["starter-combined"], results["gunicorn"])])
        self.row("5 vs Gunicorn", "server CPU per request", label, cpu)
        rss_starter, rss_gunicorn = starter.rss_kib(), gunicorn.rss_kib()
        self.raw["rss_kib"] = {"starter": rss_starter, "gunicorn": rss_gunicorn}
        self.row("5 vs Gunicorn", "RSS after the load", label, f"{rss_starter / rss_gunicorn:.2f}")
        for name in ("gunicorn", "starter-combined"):
            rs = results[name]
            rss = rss_gunicorn if name == "gunicorn" else rss_starter
            self.details.append(f"| 5 | {name} | {median([r['rps'] for r in rs]):.0f} req/s | "
                                f"p99 {median([r['p99_ms'] for r in rs]):.2f} ms, "
                                f"{median([r['cpu_us'] for r in rs]):.0f} µs CPU/request, RSS {rss / 1024:.0f} MiB | "
                                f"{sum(r['errors'] for r in rs)} errors |")

    # --- 6-8. the production image: extracted jar, AOT cache, the image's JVM options, on Java 25

    def production_layout(self):
        """Extracts the jar and makes the AOT cache with a training run, as docker/production/Dockerfile does.

        Returns the command and environment of a server in that layout, under the memory limit of production.yml
        (512 MiB) given as -XX:MaxRAM, since it runs outside a container here.
        """
        if hasattr(self, "layout"):
            return self.layout
        options = image_jvm_options(self.args.dockerfile)
        directory = os.path.join(self.workdir, "production")
        jar = os.path.basename(self.args.sample_jar)
        extract = subprocess.run([self.args.java25, "-Djarmode=tools", "-jar", self.args.sample_jar, "extract",
                                  "--destination", directory], capture_output=True, text=True, env=clean_env())
        if extract.returncode != 0:
            raise HarnessError(f"extracting the jar failed: {extract.stdout} {extract.stderr}")
        log(f"production layout: training run for the AOT cache ({options})")
        started = time.monotonic()
        with open(os.path.join(self.workdir, "production-training.log"), "wb") as training_log:
            training = subprocess.run([self.args.java25, "-XX:AOTCacheOutput=app.aot", "-Xlog:aot=error",
                                       "-Dspring.context.exit=onRefresh", "-jar", jar], cwd=directory,
                                      env=clean_env({"JAVA_TOOL_OPTIONS": options}), stdin=subprocess.DEVNULL,
                                      stdout=training_log, stderr=subprocess.STDOUT, timeout=600)
        if training.returncode != 0 or not os.path.isfile(os.path.join(directory, "app.aot")):
            raise HarnessError(f"the training run failed ({training.returncode}); see {training_log.name}")
        log(f"production layout: AOT cache of {os.path.getsize(os.path.join(directory, 'app.aot')) / 2**20:.0f} MiB "
            f"in {time.monotonic() - started:.0f} s")
        command = [self.args.java25, "-XX:AOTCache=app.aot", "-jar", jar]
        self.layout = (command, {"JAVA_TOOL_OPTIONS": f"{options} -XX:MaxRAM=512m"}, directory)
        return self.layout

    def production_server(self, name):
        command, env, directory = self.production_layout()
        port = free_port()
        env = clean_env({"TWELVEFACTOR_BIND": f"127.0.0.1:{port}", "MANAGEMENT_SERVER_PORT": str(port),
                         "WEB_CONCURRENCY": str(self.workers), **env})
        return Server(name, command, env, port, self.workdir, cwd=directory)

    def production_unavailable(self):
        """Why the production layout cannot be measured here, or None."""
        if self.args.java25:
            return None
        if os.environ.get("CI"):
            raise HarnessError("no Java 25 (JAVA25_HOME) for the production layout, and CI is set")
        return "not measured: no Java 25 on this machine (set JAVA25_HOME)"

    def production_startup(self):
        """6. Start to the first 200: the production layout against today's java -jar of the fat jar."""
        m = self.mode
        reason = self.production_unavailable()
        if reason:
            self.row("6 production start", "start to first 200", "production layout / fat jar", reason)
            return
        command, layout_env, directory = self.production_layout()

        def once(kind):
            port = free_port()
            env = clean_env({"TWELVEFACTOR_BIND": f"127.0.0.1:{port}", "MANAGEMENT_SERVER_PORT": str(port)})
            if kind == "production":
                return time_to_first_answer(kind, command, {**env, **layout_env}, port, cwd=directory)
            return time_to_first_answer(kind, [self.args.java, *JAVA_OPTIONS[self.args.mode], "-jar",
                                               self.args.sample_jar], env, port)

        for _ in range(m["startup_warm"]):
            for kind in ("fat jar", "production"):
                log(f"startup warm-up (page cache) {kind}: {once(kind)[0]:.0f} ms")
        times = {"fat jar": [], "production": []}
        cpu = {"fat jar": [], "production": []}
        for i in range(m["startup_runs"]):
            for kind in (("fat jar", "production") if i % 2 == 0 else ("production", "fat jar")):
                wall, used = once(kind)
                times[kind].append(wall)
                cpu[kind].append(used)
                log(f"startup {i + 1}/{m['startup_runs']} {kind}: {wall:.0f} ms to the first 200, {used:.0f} ms CPU")
        self.raw["production_startup"] = {"times_ms": times, "cpu_ms": cpu}
        label = "production layout (Java 25) / `java -jar` fat jar (Java " + self.java_feature(self.args.java) + ")"
        summary = ratio_summary(list(zip(times["production"], times["fat jar"])))
        self.row("6 production start", "start to first 200", label, summary, "≤ 0.60", summary["median"] <= 0.60)
        self.row("6 production start", "CPU time to first 200", label,
                 ratio_summary(list(zip(cpu["production"], cpu["fat jar"]))))
        self.details.append(f"| 6 | start to first 200 | production layout {median(times['production']):.0f} ms | "
                            f"fat jar {median(times['fat jar']):.0f} ms | CPU {median(cpu['production']):.0f} ms / "
                            f"{median(cpu['fat jar']):.0f} ms, {len(times['fat jar'])} runs each |")

    def production_memory(self):
        """7. Resident memory after the standard load: the production layout against Gunicorn, throughput kept."""
        m = self.mode
        reason = self.production_unavailable()
        if reason:
            self.row("7 production memory", "RSS after the load", "production layout / Gunicorn", reason)
            return
        production = self.production_server("production")
        gunicorn = self.fresh_gunicorn(production)
        today = self.servers["starter-combined"]
        results = self.load.alternate([gunicorn, production, today], "/", 16, m["duration"], m["rounds"], m["warmup"])
        self.raw["production_memory"] = results
        rss = {name: self.servers[name].rss_kib() for name in ("production", "gunicorn-fresh", "starter-combined")}
        self.raw["production_rss_kib"] = rss
        label = f"production layout / Gunicorn, {self.workers} workers each"
        ratio = rss["production"] / rss["gunicorn-fresh"]
        self.row("7 production memory", "RSS after the load", label, f"{ratio:.2f}", "≤ 1.00", ratio <= 1.0)
        self.row("7 production memory", "RSS after the load", "`java -jar` fat jar / Gunicorn (reference)",
                 f"{rss['starter-combined'] / rss['gunicorn-fresh']:.2f}")
        kept = ratio_summary([(x["rps"], y["rps"]) for x, y in zip(results["production"], results["starter-combined"])])
        self.row("7 production memory", "throughput", "production layout / `java -jar` fat jar", kept, "≥ 0.95",
                 kept["median"] >= 0.95)
        self.row("7 production memory", "throughput", label,
                 ratio_summary([(x["rps"], y["rps"]) for x, y in zip(results["production"], results["gunicorn-fresh"])]))
        self.row("7 production memory", "p99 latency", "production layout / `java -jar` fat jar",
                 ratio_summary([(x["p99_ms"], y["p99_ms"])
                                for x, y in zip(results["production"], results["starter-combined"])]))
        for name in ("gunicorn-fresh", "production", "starter-combined"):
            rs = results[name]
            self.details.append(f"| 7 | {name} | {median([r['rps'] for r in rs]):.0f} req/s | "
                                f"p99 {median([r['p99_ms'] for r in rs]):.2f} ms, "
                                f"{median([r['cpu_us'] for r in rs]):.0f} µs CPU/request, RSS {rss[name] / 1024:.0f} MiB | "
                                f"{sum(r['errors'] for r in rs)} errors |")

    def container(self):
        """8. The image itself under podman (-m 512m, --cpus 2): start to first 200 and RSS after the load."""
        m = self.mode
        if not self.args.image:
            if os.environ.get("CI"):
                raise HarnessError("no production image to measure (bench/run looks for it), and CI is set")
            self.row("8 container", "—", "the image under podman",
                     "not measured: no image (bash .ci/containers builds it) or no podman")
            return
        image = self.args.image

        def once(kind):
            port = free_port()
            env = clean_env({"TWELVEFACTOR_BIND": f"127.0.0.1:{port}", "MANAGEMENT_SERVER_PORT": str(port)})
            if kind == "fat jar":
                return time_to_first_answer(kind, [self.args.java, *JAVA_OPTIONS[self.args.mode], "-jar",
                                                   self.args.sample_jar], env, port)[0]
            name = f"bench-start-{os.getpid()}-{port}"
            command = ["podman", "run", "--rm", "-d", "--name", name, "--network=host", "--read-only", "--tmpfs",
                       "/tmp", "-m", "512m", "--cpus", "2", "-e", f"TWELVEFACTOR_BIND=127.0.0.1:{port}",
                       "-e", f"MANAGEMENT_SERVER_PORT={port}", image]

            def running():
                out = subprocess.run(["podman", "inspect", "-f", "{{.State.Running}}", name], capture_output=True,
                                     text=True)
                # podman run -d returns once the container runs; until then podman does not know it.
                return out.returncode != 0 or out.stdout.strip() == "true"

            try:
                return time_to_first_answer(kind, command, clean_env(), port, running=running)[0]
            finally:
                subprocess.run(["podman", "rm", "-f", "-t", "0", name], capture_output=True)

        def podman_alone():
            """What podman itself takes: create, start and remove a container that runs `true`."""
            started = time.perf_counter()
            done = subprocess.run(["podman", "run", "--rm", "--network=host", "--read-only", "--tmpfs", "/tmp",
                                   "-m", "512m", "--cpus", "2", "--entrypoint", "true", image], capture_output=True)
            if done.returncode != 0:
                raise HarnessError(f"podman run of true failed: {done.stderr.decode(errors='replace')}")
            return (time.perf_counter() - started) * 1000

        times = {"fat jar": [], "image": [], "podman alone": []}
        for _ in range(m["startup_warm"]):
            for kind in ("fat jar", "image"):
                log(f"container startup warm-up {kind}: {once(kind):.0f} ms")
        for i in range(m["startup_runs"]):
            for kind in (("fat jar", "image") if i % 2 == 0 else ("image", "fat jar")):
                times[kind].append(once(kind))
                log(f"container startup {i + 1}/{m['startup_runs']} {kind}: {times[kind][-1]:.0f} ms")
            times["podman alone"].append(podman_alone())
        self.raw["container_startup_ms"] = times
        summary = ratio_summary(list(zip(times["image"], times["fat jar"])))
        self.row("8 container", "start to first 200", "`podman run` of the image / `java -jar` fat jar (Java "
                 + self.java_feature(self.args.java) + ", no container)", summary, "≤ 0.60", summary["median"] <= 0.60)
        self.row("8 container", "podman alone: `podman run --rm` of `true`", "(included in the image's time)",
                 f"{median(times['podman alone']):.0f} ms")
        self.details.append(f"| 8 | start to first 200 | `podman run` of the image {median(times['image']):.0f} ms | "
                            f"fat jar {median(times['fat jar']):.0f} ms | podman alone "
                            f"{median(times['podman alone']):.0f} ms, {len(times['image'])} runs each |")

        shipped = ContainerServer("container", image, free_port(), self.workdir, self.workers)
        gunicorn = self.fresh_gunicorn(shipped)
        results = self.load.alternate([gunicorn, shipped], "/", 16, m["duration"], m["rounds"], m["warmup"])
        self.raw["container_memory"] = results
        rss = {"container": shipped.rss_kib(), "gunicorn-fresh": gunicorn.rss_kib()}
        self.raw["container_rss_kib"] = rss
        ratio = rss["container"] / rss["gunicorn-fresh"]
        label = f"the image (-m 512m) / Gunicorn, {self.workers} workers each"
        self.row("8 container", "RSS after the load", label, f"{ratio:.2f}", "≤ 1.00", ratio <= 1.0)
        self.row("8 container", "throughput", label,
                 ratio_summary([(x["rps"], y["rps"]) for x, y in zip(results["container"], results["gunicorn-fresh"])]))
        rs = results["container"]
        self.details.append(f"| 8 | container | {median([r['rps'] for r in rs]):.0f} req/s | "
                            f"p99 {median([r['p99_ms'] for r in rs]):.2f} ms, "
                            f"{median([r['cpu_us'] for r in rs]):.0f} µs CPU/request, "
                            f"RSS {rss['container'] / 1024:.0f} MiB | {sum(r['errors'] for r in rs)} errors |")

    def fresh_gunicorn(self, *others):
        """Starts the given servers, and Gunicorn with the seed's workers unless it runs: one that only the
        production comparisons load, so that its memory is measured after the same load as theirs."""
        fresh = "gunicorn-fresh" not in self.servers
        gunicorn = self.gunicorn("gunicorn-fresh", self.workers, 30) if fresh else self.servers["gunicorn-fresh"]
        self.start_all([*others, gunicorn] if fresh else list(others))
        return gunicorn

    @staticmethod
    def java_feature(java):
        out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
        found = re.search(r'version "(\d+)', out)
        return found.group(1) if found else "?"

    # --- the run

    def run(self):
        started = time.monotonic()
        log(f"mode {self.args.mode}; {self.cores} cores, default WEB_CONCURRENCY {self.workers}")
        # The seed's fixed limit, so that comparisons 1, 3, 4 and 5 keep their meaning now that the
        # default adapts (comparison 10 measures the adaptive default)
        seed = str(self.workers)
        access_log_servers = [
            self.starter("starter-combined", WEB_CONCURRENCY=seed),
            self.starter("starter-ecs", WEB_CONCURRENCY=seed, TWELVEFACTOR_ACCESS_LOG_FORMAT="ecs"),
            self.starter("starter-json", WEB_CONCURRENCY=seed, TWELVEFACTOR_ACCESS_LOG_FORMAT="json"),
            self.starter("starter-off", WEB_CONCURRENCY=seed, TWELVEFACTOR_ACCESS_LOG="off"),
            # A limit as large as the load: no request waits for admission
            self.starter("starter-off-unqueued", WEB_CONCURRENCY=str(ACCESS_LOG_CONNECTIONS),
                         TWELVEFACTOR_ACCESS_LOG="off"),
            self.plain("plain-tomcat-log", *PLAIN_TOMCAT_STDOUT_LOG),
            self.plain("plain"),
        ]
        if self.args.only == "adaptive":
            self.adaptive()
            self.elapsed = time.monotonic() - started
            return self.report()
        if self.args.only == "access-log":
            self.start_all(access_log_servers)
            self.access_log()
            self.stop_all()
            self.check_access_log_lines()
            self.elapsed = time.monotonic() - started
            return self.report()
        self.startup()
        self.production_startup()
        self.start_all([
            *access_log_servers,
            self.starter("starter-sized", WEB_CONCURRENCY=str(4 * self.workers)),
            self.starter("starter-timeout-1s", WEB_CONCURRENCY=seed, GUNICORN_TIMEOUT="1"),
            self.gunicorn("gunicorn", self.workers, 30),
            self.gunicorn("gunicorn-overload", self.workers, 1),
        ])
        self.access_log()
        self.overload()
        self.versus_gunicorn()
        self.admission_overload()
        self.adaptive()
        self.deadline()
        self.production_memory()
        self.container()
        self.servers["starter-timeout-1s"].kill()
        self.servers["gunicorn-timeout-1s"].kill()
        self.stop_all()
        self.check_access_log_lines()
        self.elapsed = time.monotonic() - started
        return self.report()

    def report(self):
        java = subprocess.run([self.args.java, "-version"], capture_output=True, text=True).stderr.splitlines()
        memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
        load = os.getloadavg()
        lines = [
            f"## Results ({self.args.mode} run, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC)",
            "",
            f"Command: `bench/run{' --smoke' if self.args.mode == 'smoke' else ''}"
            f"{' --only ' + self.args.only if self.args.only else ''}`, "
            f"{self.elapsed / 60:.1f} minutes. Machine: {self.cores} cores (`nproc`), "
            f"{memory[1].split()[1] if len(memory) > 1 else '?'} memory (`free -h`), {java[0] if java else '?'}, "
            f"Spring Boot {self.args.boot_version}, {platform.system()} {platform.release()}; "
            f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min).",
            f"Each load round: wrk, 1 thread, {self.mode['duration']} s; {self.mode['rounds']} rounds "
            f"({self.mode['load_rounds']} for overload) after a warm-up per server of {self.mode['warmup']} s, then "
            f"on until its CPU per request is steady ({WARM_UP_STEADY_WINDOWS} windows of {WARM_UP_WINDOW} s "
            f"within {WARM_UP_STEADY:.0%}); "
            f"ratios are per round, median and min–max.",
            "",
            "| comparison | metric | A / B | median | spread | bar | verdict |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        lines += ["", "Absolute medians, for orientation only (shared machine):", "",
                  "| # | server | throughput | latency | errors |", "| --- | --- | --- | --- | --- |"]
        lines += self.details
        return "\n".join(lines) + "\n"


class LimitPoller:
    """Reads the admission limit of a server from its metrics endpoint every `interval` seconds, in a thread."""

    def __init__(self, server, interval):
        self.server = server
        self.interval = interval
        self.samples = []  # (time.time(), limit)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                status, body = http_get(self.server.port, "/actuator/metrics/twelvefactor.requests.limit", 2)
                if status == 200:
                    value = json.loads(body)["measurements"][0]["value"]
                    self.samples.append((time.time(), int(value)))
            except (OSError, http.client.HTTPException, ValueError, KeyError, IndexError):
                pass


def settle_time(samples, step_time, tolerance=0.20, final_seconds=5.0):
    """Seconds from the step until the limit stays within `tolerance` of its final value (the median of the
    last `final_seconds`), or None when it never does or there are too few samples."""
    after = [(t, limit) for t, limit in samples if t >= step_time]
    end = after[-1][0] if after else 0
    final = [limit for t, limit in after if t >= end - final_seconds]
    if len(final) < 2:
        return None
    target = median(final)
    settled = None
    for t, limit in after:
        if abs(limit - target) > tolerance * target:
            settled = None
        elif settled is None:
            settled = t
    return None if settled is None else max(0.0, settled - step_time)


def limit_plot(samples, step_time, before, after, width=720, height=320):
    """An SVG line chart of the admission limit over the step run."""
    left, right, top, bottom = 56, 16, 28, 44
    end = max([t for t, _ in samples] + [step_time * 2, 1])
    ceiling = max([limit for _, limit in samples] + [10]) * 1.15

    def x(t):
        return left + (width - left - right) * t / end

    def y(limit):
        return height - bottom - (height - top - bottom) * limit / ceiling

    points = " ".join(f"{x(t):.1f},{y(limit):.1f}" for t, limit in samples)
    ticks = []
    step = 10 ** max(0, len(str(int(ceiling))) - 1)
    for value in range(0, int(ceiling) + 1, step if ceiling / step >= 3 else max(1, step // 2)):
        ticks.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="#ddd"/><text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>')
    for second in range(0, int(end) + 1, 5):
        ticks.append(f'<text x="{x(second):.1f}" y="{height - bottom + 16}" text-anchor="middle">{second}</text>')
    escape = lambda text: text.replace("&", "&amp;").replace("<", "&lt;")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif" font-size="12">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n'
            f'<text x="{left}" y="16">Admission limit (twelvefactor.requests.limit), 64 connections: '
            f'GET {escape(before)}, then GET {escape(after)}</text>\n'
            + "\n".join(ticks) + "\n"
            f'<line x1="{x(step_time):.1f}" x2="{x(step_time):.1f}" y1="{top}" y2="{height - bottom}" '
            f'stroke="#c00" stroke-dasharray="4 3"/><text x="{x(step_time) + 4:.1f}" y="{top + 12}" '
            f'fill="#c00">step</text>\n'
            f'<polyline points="{points}" fill="none" stroke="#05c" stroke-width="2"/>\n'
            f'<text x="{(left + width - right) / 2:.0f}" y="{height - 8}" text-anchor="middle">seconds</text>\n'
            f'</svg>\n')


def summarize_outcomes(results):
    counts = {}
    for outcome, _ in results:
        counts[outcome] = counts.get(outcome, 0) + 1
    return ", ".join(f"{n} × {o}" for o, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=sorted(MODES), default="full")
    parser.add_argument("--sample-jar", required=True)
    parser.add_argument("--plain-jar", required=True)
    parser.add_argument("--gunicorn-dir", required=True)
    parser.add_argument("--lua", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--java", default="java")
    parser.add_argument("--gunicorn", default="gunicorn")
    parser.add_argument("--boot-version", default="?")
    parser.add_argument("--only", choices=["access-log", "adaptive"],
                        help="run one comparison alone, for an indicative figure (the lead's full run decides)")
    parser.add_argument("--java25", default="", help="Java 25 for the production layout; none: not measured")
    parser.add_argument("--dockerfile", default="docker/production/Dockerfile")
    parser.add_argument("--image", default="", help="the production image to run with podman; none: not measured")
    args = parser.parse_args()

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    args.workdir = os.path.join(args.results, f"{stamp}-{args.mode}")
    os.makedirs(args.workdir, exist_ok=True)
    # Private copies under names of their own: on a shared machine, someone's "pkill -f <jar name>"
    # must not stop the benchmark's servers.
    for name in ("sample_jar", "plain_jar"):
        copy = os.path.join(args.workdir, f"bench-{name.replace('_', '-')}.jar")
        shutil.copyfile(getattr(args, name), copy)
        setattr(args, name, copy)
    bench = Bench(args)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    try:
        table = bench.run()
    except HarnessError as e:
        log(f"HARNESS ERROR: {e}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        bench.kill_all()
        for name in ("sample_jar", "plain_jar"):
            os.remove(getattr(args, name))
    with open(os.path.join(args.workdir, "results.md"), "w", encoding="utf-8") as f:
        f.write(table)
    with open(os.path.join(args.workdir, "raw.json"), "w", encoding="utf-8") as f:
        json.dump(bench.raw, f, indent=1)
    shutil.copyfile(os.path.join(args.workdir, "results.md"), os.path.join(args.results, f"latest-{args.mode}.md"))
    if os.path.exists(os.path.join(args.workdir, "adaptive-step.svg")):
        shutil.copyfile(os.path.join(args.workdir, "adaptive-step.svg"),
                        os.path.join(args.results, f"latest-{args.mode}-adaptive-step.svg"))
    print(table)
    log(f"table written to {os.path.join(args.workdir, 'results.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
