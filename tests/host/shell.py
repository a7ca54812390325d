#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make shell, driven through a pipe as a user would drive it by hand.

Starts `make shell` (its own directory, so its QMP socket is its own),
waits for the banner, then hot-adds with the very commands the banner
prints: a 256 MiB DIMM with the scripts/ntc-qmp line, a CPU with the raw
QMP JSON lines (sent as socat would send them). Checks the sample driver's
callbacks logged both on the console, that the shell typed into sees the
new CPU online, that the printed unplug command takes the DIMM away
again (its removals logged), that the CPU goes the same way, and that
with QEMU 10 CPUs can be hot-added after that until the guest's budget
(MAXCPUS=4: three hot-adds in its life, the CPU added by hand counted)
is spent, when ntc-qmp refuses in one line and QEMU lives on (QEMU 7.2:
refuses any hot-add after the unplug). Last, `exit` ends the session
with the guest's kernel log clean and make's status 0. Every wait has a generous
bound: a slow, shared machine makes this slower, never wrong.
"""
import json
import os
import queue
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BOOT_TIMEOUT = 600      # includes make's dependency check and the build
EVENT_TIMEOUT = 120
MAXCPUS = 4             # one boot CPU: three hot-adds in the guest's life


class Failed(Exception):
    pass


class Session:
    def __init__(self, shell_dir):
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "shell",
             "GUEST_SHELL_DIR=" + shell_dir, "MAXCPUS=%d" % MAXCPUS],
            cwd=TOP, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            print("| " + line, flush=True)
            self.lines.put(line)
        self.lines.put(None)

    def expect(self, pattern, timeout, what):
        """The first match of @pattern in a line to come."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failed("no %s within %ds" % (what, timeout))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise Failed("make shell ended before %s" % what)
            m = re.search(pattern, line)
            if m:
                return m

    def type(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def qmp_by_hand(path, commands):
    """Send JSON lines to the QMP socket as socat would; return the replies."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    f = s.makefile("rb")
    json.loads(f.readline())                    # the greeting
    replies = []
    for cmd in commands:
        s.sendall(cmd.encode() + b"\n")
        while True:
            reply = json.loads(f.readline())
            if "event" not in reply:
                replies.append(reply)
                break
    s.close()
    return replies


def qemu_version():
    out = subprocess.run(["qemu-system-x86_64", "--version"],
                         capture_output=True, text=True).stdout
    m = re.search(r"version (\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def run(shell_dir):
    s = Session(shell_dir)
    try:
        sock = s.expect(r"^ntc-vm: QMP socket: (\S+)$", BOOT_TIMEOUT,
                        "QMP socket in the banner").group(1)
        if sock != os.path.join(shell_dir, "qmp.sock"):
            raise Failed("QMP socket %s is not in %s" % (sock, shell_dir))
        cpu_cmd = s.expect(r"^ntc-vm: hot-add a CPU: +(.*)$", 10,
                           "CPU command").group(1)
        dimm_cmd = s.expect(r"^ntc-vm: hot-add a DIMM: (.*)$", 10,
                            "DIMM command").group(1)
        del_cmd = s.expect(r"^ntc-vm: unplug either: +(.*) ID$", 10,
                           "unplug command").group(1)
        s.expect(r"^ntc-vm: or by hand", 10, "raw QMP lines")
        raw = [s.expect(r"^ntc-vm:   (\{.*\})$", 10, "QMP line").group(1)
               for _ in range(2)]
        if "device_add" not in raw[1] or "-cpu" not in raw[1]:
            raise Failed("the second raw QMP line is not a CPU device_add")
        if qemu_version() <= (7, 2):
            s.expect(r"^ntc-vm: WARNING: QEMU .* after a CPU unplug", 10,
                     "warning about hot-add after a CPU unplug")

        print("test: DIMM, as printed: " + dimm_cmd, flush=True)
        r = subprocess.run(shlex.split(dimm_cmd), cwd=TOP,
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise Failed("%s: %s" % (dimm_cmd, r.stderr.strip()))
        dimm = r.stdout.split()[0]
        for n in (1, 2):        # 256 MiB: two 128 MiB memory blocks
            s.expect(r"ntc_sample: memory arrival: ", EVENT_TIMEOUT,
                     "memory arrival %d of 2" % n)

        print("test: CPU, by hand: " + " ".join(raw), flush=True)
        replies = qmp_by_hand(sock, raw)
        if replies != [{"return": {}}, {"return": {}}]:
            raise Failed("QMP replied %s" % replies)
        s.expect(r"ntc_sample: processor arrival: .*#1#", EVENT_TIMEOUT,
                 "processor arrival for CPU 1")

        # What the guest's own shell sees. A kernel message could split the
        # answer's line on the console: ask again rather than fail.
        for attempt in range(3):
            s.type("echo cpus-online:$(cat /sys/devices/system/cpu/online)\n")
            try:
                online = s.expect(r"cpus-online:([0-9][0-9,-]*)", 30,
                                  "the shell's answer").group(1)
                break
            except Failed:
                if attempt == 2:
                    raise
        if online != "0-1":
            raise Failed("the guest's shell says CPUs %s are online" % online)
        print("test: the guest's shell sees CPUs %s online" % online,
              flush=True)

        # The DIMM goes, as printed (before the CPU unplug: QEMU 7.2).
        print("test: unplug, as printed: %s %s" % (del_cmd, dimm),
              flush=True)
        r = subprocess.run(shlex.split(del_cmd) + [dimm], cwd=TOP,
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise Failed("%s %s: %s" % (del_cmd, dimm, r.stderr.strip()))
        for n in (1, 2):
            s.expect(r"ntc_sample: memory removal: ", EVENT_TIMEOUT,
                     "memory removal %d of 2" % n)

        cpu = json.loads(raw[1])["arguments"]["id"]
        print("test: unplug the CPU: %s %s" % (del_cmd, cpu), flush=True)
        r = subprocess.run(shlex.split(del_cmd) + [cpu], cwd=TOP,
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise Failed("%s %s: %s" % (del_cmd, cpu, r.stderr.strip()))
        s.expect(r"ntc_sample: processor removal: .*#1#", EVENT_TIMEOUT,
                 "processor removal for CPU 1")

        # Hot-adds after the unplug, until the budget is spent.
        adds = MAXCPUS - 2 if qemu_version() >= (10, 0) else 0
        for n in range(adds):
            print("test: CPU hot-add %d after the unplug: %s" %
                  (n + 1, cpu_cmd), flush=True)
            r = subprocess.run(shlex.split(cpu_cmd), cwd=TOP,
                               capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise Failed("%s: %s" % (cpu_cmd, r.stderr.strip()))
            s.expect(r"ntc_sample: processor arrival: ", EVENT_TIMEOUT,
                     "processor arrival after the unplug")
        print("test: one hot-add too many: " + cpu_cmd, flush=True)
        r = subprocess.run(shlex.split(cpu_cmd), cwd=TOP,
                           capture_output=True, text=True, timeout=120)
        err = r.stderr.strip()
        if r.returncode == 0 or "\n" in err or "refused" not in err:
            raise Failed("%s past the budget: status %d, %r" %
                         (cpu_cmd, r.returncode, err))
        print("test: refused: " + err, flush=True)

        s.type("exit\n")
        s.expect(r"^NTC-VM: rc=0 kernel_log=clean", EVENT_TIMEOUT,
                 "a clean end of the guest")
        rc = s.proc.wait(60)
        if rc != 0:
            raise Failed("make shell exited with %d" % rc)
    finally:
        s.kill()


def main():
    build = os.path.join(TOP, "build", "host-tests")
    os.makedirs(build, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shell.", dir=build) as d:
        try:
            run(d)
        except (Failed, OSError, subprocess.SubprocessError,
                ValueError) as e:
            print("FAIL: %s" % e)
            return 1
    print("make shell: banner, DIMM and CPU hot-add and unplug through the "
          "printed commands, callbacks on the console, the shell sees the "
          "CPU, hot-adds after the unplug up to the budget, the one past it "
          "refused, clean exit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
