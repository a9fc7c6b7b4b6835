#!/usr/bin/env python3
"""CPU time by kind of process while a command runs: where the test suite's CPU goes.

Usage: benchmarks/suite-cpu.py [--every SECONDS] -- COMMAND [ARGS...]
  e.g. benchmarks/suite-cpu.py -- mvn -B -ntp -o -pl broker-server test

Every second (--every) it reads utime and stime of every process in /proc (Linux only) and adds
what each used since the last read to its kind: a Java process by its main class (or WildFly's
server directory, Payara's server or asadmin), the Maven launcher, PostgreSQL, RabbitMQ, Chromium,
Node.js, Python, or "other". Processes that start and end between two reads are missed, so the
totals are a lower bound. At the end it prints the kinds by CPU seconds (user and system), their
sum, the wall time, and the command's exit status, which is also its own.

Everything on the machine is counted, not only the command's children: run it on an idle machine.
"""
import os
import re
import subprocess
import sys
import time
from collections import Counter

HZ = os.sysconf("SC_CLK_TCK")


def kind(cmdline):
    """A short name for what a process is, from its command line (arguments joined by spaces)."""
    if "jboss-modules" in cmdline:
        m = re.search(r"-Djboss\.server\.base\.dir=(\S+)", cmdline)
        if m:
            return "wildfly " + os.path.basename(os.path.dirname(m.group(1)))
        return "wildfly cli/embedded"
    if "glassfish" in cmdline or "payara" in cmdline.lower():
        # the server's command line names admin-cli.jar too (-asadmin-classpath): test ASMain first
        if "ASMain" in cmdline:
            return "payara server"
        if "admin-cli" in cmdline or "appserver-cli" in cmdline:
            return "payara asadmin"
    tokens = cmdline.split()
    if tokens and tokens[0].endswith("java"):
        if "surefirebooter" in cmdline:
            return "java surefire test JVM"
        if "plexus-classworlds" in cmdline:
            return "java maven"
        for i, t in enumerate(tokens[1:], 1):
            if t in ("-cp", "-classpath", "--class-path", "-jar"):
                continue
            if tokens[i - 1] in ("-cp", "-classpath", "--class-path"):
                continue
            if tokens[i - 1] == "-jar":
                return "java -jar " + os.path.basename(t)
            if not t.startswith("-"):
                return "java " + t
        return "java (other)"
    for name in ("postgres", "beam.smp", "chrom", "node", "python"):
        if name in (tokens[0] if tokens else ""):
            return {"beam.smp": "rabbitmq", "chrom": "chromium"}.get(name, name)
    return "other"


def read_all():
    """pid -> (user ticks, system ticks) of every process whose /proc/<pid>/stat is readable."""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            fields = stat[stat.rfind(")") + 2 :].split()
            out[pid] = (int(fields[11]), int(fields[12]))
        except (OSError, IndexError, ValueError):
            pass
    return out


def cmdline_of(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def main(argv):
    every = 1.0
    if argv[:1] == ["--every"]:
        every = float(argv[1])
        argv = argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    kinds = {}
    prev = read_all()  # what ran before the command is not counted
    user, system = Counter(), Counter()
    started = time.monotonic()
    proc = subprocess.Popen(argv)
    while True:
        done = proc.poll() is not None
        now = read_all()
        for pid, (u, s) in now.items():
            if pid not in kinds:
                kinds[pid] = kind(cmdline_of(pid))
            pu, ps = prev.get(pid, (0, 0))
            user[kinds[pid]] += (u - pu) / HZ
            system[kinds[pid]] += (s - ps) / HZ
        prev = now
        if done:
            break
        time.sleep(every)
    wall = time.monotonic() - started
    total = Counter()
    total.update(user)
    total.update(system)
    print(f"\nsuite-cpu: {' '.join(argv)}: exit {proc.returncode}, {wall:.0f} s wall")
    print(f"{'CPU s':>8} {'user':>8} {'system':>8}  kind")
    for k, t in total.most_common():
        if t >= 0.5:
            print(f"{t:8.1f} {user[k]:8.1f} {system[k]:8.1f}  {k}")
    print(f"{sum(total.values()):8.1f} {sum(user.values()):8.1f} {sum(system.values()):8.1f}  all")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
