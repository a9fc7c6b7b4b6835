#!/usr/bin/env python3
"""Summarises the CPU samples of a JFR recording made by mdb-bench.sh (PROFILE=jfr).

  python3 server-config/bench/jfr-summary.py server-config/target/bench/warren-persistent-1-per-tx.jfr
  (or a file.json saved from: jfr print --json --stack-depth 128 --events jdk.ExecutionSample)

Prints the share of jdk.ExecutionSample events (a) by thread group, (b) by the method on top of the
stack (self time) and (c) by component: a sample counts for a component when one of its frames is in
that component's package (inclusive time; components may overlap). Also counts how many samples
have the engine's XA prepare and commit on their stack. Needs the JDK's `jfr` tool on the PATH.
"""
import collections
import json
import re
import subprocess
import sys

COMPONENTS = [
    ("WarrenMQ store writer (H2 commit + CHECKPOINT SYNC)", "io.warrenmq.store.jdbc"),
    ("H2", "org.h2."),
    ("WarrenMQ engine", "io.warrenmq.engine"),
    ("WarrenMQ jms-client", "io.warrenmq.jms"),
    ("WarrenMQ ra", "io.warrenmq.ra"),
    ("engine XA commit", "io.warrenmq.engine.internal.XaResourceManager.commit"),
    ("engine XA prepare", "io.warrenmq.engine.internal.XaResourceManager.prepare"),
    ("Narayana (com.arjuna)", "com.arjuna."),
    ("IronJacamar (org.jboss.jca)", "org.jboss.jca."),
    ("EJB container (org.jboss.as.ejb3, org.jboss.invocation)", ("org.jboss.as.ejb3", "org.jboss.invocation", "org.jboss.ejb")),
    ("Undertow/RESTEasy", ("io.undertow", "org.jboss.resteasy")),
    ("Artemis (org.apache.activemq)", "org.apache.activemq"),
    ("JFR/JIT/GC-visible JDK (java., jdk., sun.)", ("java.", "jdk.", "sun.")),
]


def frames(event):
    for f in event["values"]["stackTrace"]["frames"] if event["values"].get("stackTrace") else []:
        m = f["method"]
        yield (m["type"]["name"] + "." + m["name"]).replace("/", ".")


def thread_group(name):
    name = re.sub(r"\d+", "N", name or "?")
    return name


def main(path):
    if path.endswith(".json"):  # the output of the jfr command below, saved
        with open(path) as f:
            out = f.read()
    else:
        out = subprocess.run(
            ["jfr", "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample", path],
            check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    total = len(events)
    by_thread = collections.Counter()
    by_top = collections.Counter()
    by_component = collections.Counter()
    for e in events:
        t = e["values"].get("sampledThread") or {}
        by_thread[thread_group(t.get("javaName") or t.get("osName"))] += 1
        fs = list(frames(e))
        if fs:
            by_top[fs[0]] += 1
        for label, prefixes in COMPONENTS:
            if isinstance(prefixes, str):
                prefixes = (prefixes,)
            if any(f.startswith(p) for f in fs for p in prefixes):
                by_component[label] += 1
    print(f"{total} execution samples in {path}")
    for title, counter, n in (("threads", by_thread, 15), ("self (top frame)", by_top, 25)):
        print(f"\n{title}:")
        for k, v in counter.most_common(n):
            print(f"  {100.0 * v / total:5.1f}%  {v:6d}  {k}")
    print("\ncomponents (inclusive):")
    for label, _ in COMPONENTS:
        v = by_component[label]
        print(f"  {100.0 * v / total:5.1f}%  {v:6d}  {label}")


if __name__ == "__main__":
    main(sys.argv[1])
