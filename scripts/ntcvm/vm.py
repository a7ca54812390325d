# SPDX-License-Identifier: GPL-2.0
"""One QEMU guest: its console, its control port, its hotplug requests."""

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import termios
import threading
import time
import tty
from pathlib import Path

from . import hotplug
from .hotplug import CPU_UNPLUG_BREAKS_QEMU, Hotplug, State
from .qmp import QemuGone, Qmp, Timeout, VmError

SCRIPTS = Path(__file__).resolve().parent.parent

# After DONE the guest powers itself off, normally within 0.1 s; after a CPU
# unplug that can take 10 s or more, and there is nothing left to wait for.
POWEROFF_GRACE = 5
# A line at least this often while the guest is silent (boot, a long test).
PROGRESS_EVERY = 30

# Kernel log lines that fail a run however the script ended.
TROUBLE_PATTERNS = [
    r"\bBUG:", r"\bWARNING:", r"\bOops\b", r"Kernel panic",
    r"general protection fault", r"Call Trace:", r"UBSAN:", r"KASAN:",
    r"kmemleak:.*suspected memory leak", r"unreferenced object 0x",
    r"INFO: task .* blocked", r"possible circular locking",
    r"inconsistent lock state", r"possible recursive locking",
    r"suspicious RCU usage", r"RCU stall", r"self-detected stall",
    r"detected stalls on CPUs", r"list_(add|del) corruption",
    r"kernel BUG at", r"hard LOCKUP",
]
TROUBLE = re.compile("|".join(TROUBLE_PATTERNS))


def trouble_ere():
    """TROUBLE as one POSIX extended regular expression, for the guest's
    awk and grep -E (/lib/ntc-trouble.ere): without the word boundaries,
    which ERE lacks, so it matches at least what TROUBLE matches."""
    return "|".join(p.replace(r"\b", "") for p in TROUBLE_PATTERNS)

# Hot-added memory blocks arrive offline on every kernel, whatever its
# MEMORY_HOTPLUG_DEFAULT_ONLINE (off in Debian's 6.1, on in its 6.12): the
# guest's ntc-uevent onlines them as movable, so that a DIMM can be unplugged
# again, and tests see the same sequence of events everywhere.
MEMHP = "memhp_default_state=offline "

# Ctrl-]: leaves an interactive shell (--shell), as in telnet.
ESCAPE = b"\x1d"

_print_lock = threading.Lock()
# In a raw terminal a newline no longer returns the carriage.
_eol = "\n"


def out(line):
    """A line on stdout: guest output and the summary only."""
    with _print_lock:
        print(line, end=_eol, flush=True)


def note(line):
    """A status line, on stderr so that stdout stays parseable."""
    with _print_lock:
        print("ntc-vm: " + line, end=_eol, file=sys.stderr, flush=True)


class Vm:
    def __init__(self, opts, kernel, initrd, console_log, start_time):
        self.opts = opts
        self.kernel = kernel
        self.initrd = initrd
        self.console_log = console_log
        self.echo = opts.echo_console and re.compile(opts.echo_console)
        self.qemu = None
        self.qmp = None
        self.ctl = None
        self.ctl_buf = b""
        self.console_thread = None
        self.stderr_thread = None
        self.qemu_said = []         # QEMU's last lines on stderr
        self.hotplug = None
        self.start_time = start_time
        self.first_msg_time = None
        self.last_msg_time = None
        self.stopping = None        # why we stop QEMU ourselves, if we do
        self.con = None
        self.shell_live = False     # console connected to stdin/stdout
        self.tty_saved = None

    def start(self):
        o = self.opts
        # Socket pairs, not listening sockets: QEMU inherits its ends, so
        # nothing is lost before we connect and there is no path to clean.
        con, con_q = socket.socketpair()
        ctl, ctl_q = socket.socketpair()
        qmp, qmp_q = socket.socketpair()
        fds = (con_q.fileno(), ctl_q.fileno(), qmp_q.fileno())
        machine, cpu = o.machine, "qemu64"
        if o.hypervisor == "vmware":
            # Linux finds VMware without the CPUID hypervisor bit through
            # "VMware" in the DMI serial number and an answer on the VMware
            # backdoor port, which QEMU's vmport emulates.  A detected
            # hypervisor is what makes Linux 6.12.77+ (upstream "x86/acpi/
            # boot: Correct acpi_is_processor_usable() check again") count
            # the MADT entries of QEMU's hot-pluggable CPUs: without one,
            # TCG looks like bare metal and device_add of a CPU does nothing.
            machine += ",vmport=on"
            cpu += ",hypervisor=off"
        cmd = [
            "qemu-system-x86_64", "-accel", "tcg", "-M", machine,
            "-cpu", cpu,
            "-smp", "%d,maxcpus=%d" % (o.smp, o.maxcpus),
            "-m", "%s,slots=%d,maxmem=%s" % (o.mem, o.slots, o.maxmem),
            "-nodefaults", "-display", "none", "-no-reboot",
            "-kernel", str(self.kernel), "-initrd", str(self.initrd),
            "-append", ("console=ttyS0 panic=-1 " + MEMHP + o.append).strip(),
            "-chardev", "socket,id=con,fd=%d" % fds[0],
            "-serial", "chardev:con",
            "-chardev", "socket,id=ctl,fd=%d" % fds[1],
            "-serial", "chardev:ctl",
            "-chardev", "socket,id=qmp,fd=%d" % fds[2],
            "-mon", "chardev=qmp,mode=control",
        ]
        if o.hypervisor == "vmware":
            cmd += ["-smbios", "type=1,serial=VMware-ntc-vm"]
        if o.virtio_mem:
            # Its region counts against maxmem; it plugs nothing until a
            # test resizes it (and loads virtio_mem in the guest).
            cmd += ["-object", "memory-backend-ram,id=vmem0mem,size=%s"
                    % o.virtio_mem,
                    "-device", "virtio-mem-pci,id=vmem0,memdev=vmem0mem,"
                    "requested-size=0"]
        # The name tells this QEMU from an earlier one behind the same
        # socket path (State).
        cmd += ["-name", "ntc-vm-%d-%s" % (os.getpid(), os.urandom(4).hex())]
        if o.qmp_socket:
            # A second monitor, for the user: QEMU serves both.
            Path(o.qmp_socket).unlink(missing_ok=True)
            cmd += ["-chardev", "socket,id=uqmp,path=%s,server=on,wait=off"
                    % o.qmp_socket, "-mon", "chardev=uqmp,mode=control"]
        # Own session: a Ctrl-C reaches us, and we take QEMU down in order.
        try:
            self.qemu = subprocess.Popen(cmd, pass_fds=fds,
                                         stdin=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE,
                                         start_new_session=True)
        except OSError as e:
            raise VmError("cannot start %s: %s" % (cmd[0], e.strerror))
        for s in (con_q, ctl_q, qmp_q):
            s.close()           # so that QEMU's exit reads as EOF here
        self.ctl = ctl
        self.con = con
        self.console_thread = threading.Thread(target=self._pump_console,
                                               args=(con,), daemon=True)
        self.console_thread.start()
        self.stderr_thread = threading.Thread(target=self._pump_stderr,
                                              daemon=True)
        self.stderr_thread.start()
        self.qmp = Qmp(qmp)
        state = State(o.qmp_socket + ".state" if o.qmp_socket else None)
        self.hotplug = Hotplug(self.qmp, state)

    def _pump_stderr(self):
        """QEMU's stderr to ours, its last lines kept for died()."""
        for raw in self.qemu.stderr:
            line = raw.decode(errors="replace").rstrip()
            self.qemu_said = (self.qemu_said + [line])[-3:]
            note("qemu: " + line)

    def died(self, when):
        """One line: QEMU is gone, how, what it said last, where the log is."""
        try:
            rc = self.qemu.wait(5)
        except subprocess.TimeoutExpired:
            rc = None
        if self.stderr_thread:
            self.stderr_thread.join(2)
        if self.stopping:
            how = self.stopping
        elif rc is None:
            how = "its QMP connection closed, the process still runs"
        elif rc < 0:
            try:
                how = "killed by %s" % signal.Signals(-rc).name
            except ValueError:
                how = "killed by signal %d" % -rc
        else:
            how = "exited with status %d" % rc
        said = ""
        if self.qemu_said and not self.stopping:
            said = " (its last words: %s)" % self.qemu_said[-1]
        return "QEMU died %s: %s%s; console log: %s" % (
            when, how, said, self.console_log)

    def stop(self, grace=5):
        if self.qemu and self.qemu.poll() is None:
            self.stopping = self.stopping or "stopped by ntc-vm"
            self.qemu.terminate()
            try:
                self.qemu.wait(grace)
            except subprocess.TimeoutExpired:
                self.qemu.kill()
                self.qemu.wait()
        if self.console_thread:
            self.console_thread.join(5)

    def _pump_console(self, sock):
        """Save the console to the log; echo lines matching --echo-console."""
        pending = b""
        with open(self.console_log, "wb") as log:
            while True:
                try:
                    data = sock.recv(65536)
                except OSError:
                    break
                if not data:
                    break
                log.write(data)
                log.flush()
                if self.shell_live:
                    with _print_lock:
                        sys.stdout.buffer.write(data)
                        sys.stdout.flush()
                    continue
                if not self.echo:
                    continue
                *lines, pending = (pending + data).split(b"\n")
                for raw in lines:
                    line = raw.decode(errors="replace").rstrip("\r")
                    if self.echo.search(line):
                        out("[guest] " + line)

    def _ctl_line(self, deadline):
        """Next line from the control port; None once QEMU has gone."""
        while b"\n" not in self.ctl_buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout("no DONE within %ds" % self.opts.timeout)
            if not select.select([self.ctl], [], [],
                                 min(left, PROGRESS_EVERY))[0]:
                self._progress()
                continue
            try:
                data = self.ctl.recv(65536)
            except OSError:
                return None
            if not data:
                return None
            self.ctl_buf += data
        line, self.ctl_buf = self.ctl_buf.split(b"\n", 1)
        return line.decode(errors="replace").rstrip("\r")

    def _progress(self):
        """After PROGRESS_EVERY s without a word from the guest, say why."""
        if self.shell_live:
            return
        now = time.monotonic()
        if self.first_msg_time is None:
            note("the guest is still booting: %.0f s (console log: %s)" %
                 (now - self.start_time, self.console_log))
        else:
            note("the guest script still runs: %.0f s, %.0f s since its "
                 "last line" % (now - self.start_time,
                                now - self.last_msg_time))

    def run(self):
        """Serve the guest until DONE; return its rc, or None if none came."""
        deadline = self.start_time + (self.opts.timeout or float("inf"))
        while True:
            line = self._ctl_line(deadline)
            if line is None:
                note(self.died("before the guest said DONE"))
                return None
            self.last_msg_time = time.monotonic()
            kind, _, rest = line.partition(" ")
            if self.first_msg_time is None and kind in ("OUT", "REQ"):
                self.first_msg_time = time.monotonic()
            if kind == "OUT":
                out(rest)
            elif kind == "REQ":
                try:
                    self._request(rest, deadline)
                except QemuGone:
                    note(self.died("while serving %r" % rest.split(" ", 1)[-1]))
                    return None
            elif kind == "SHELL" and self.opts.shell:
                self._start_shell()
            elif kind == "DONE":
                self._end_shell()
                try:
                    return int(rest)
                except ValueError:
                    note("bad DONE line: %r" % line)
                    return None
            elif line:
                note("ignoring control line: %r" % line)

    # --- the interactive shell ----------------------------------------------

    def _start_shell(self):
        """Print how to drive the guest, then connect its console to us."""
        self._banner()
        if sys.stdin.isatty():
            global _eol
            self.tty_saved = termios.tcgetattr(0)
            tty.setraw(0)
            _eol = "\r\n"
        self.shell_live = True
        # The shell may have prompted before we listened: prompt again.
        self.con.sendall(b"\n")
        threading.Thread(target=self._pump_stdin, daemon=True).start()

    def _end_shell(self):
        global _eol
        if self.tty_saved:
            termios.tcsetattr(0, termios.TCSADRAIN, self.tty_saved)
            self.tty_saved = None
            _eol = "\n"
        self.shell_live = False

    def _pump_stdin(self):
        """Our stdin to the guest's console, until EOF or Ctrl-]."""
        while True:
            try:
                data = os.read(0, 4096)
            except OSError:
                return
            if not data:
                return          # the guest goes on until its shell exits
            if self.tty_saved and ESCAPE in data:
                note("Ctrl-]: stopping the guest")
                self.stopping = "stopped with Ctrl-]"
                self.qemu.terminate()
                return
            try:
                self.con.sendall(data)
            except OSError:
                return

    def _banner(self):
        sock = self.opts.qmp_socket and os.path.abspath(self.opts.qmp_socket)
        lines = ["guest shell: exit (or Ctrl-D) ends the session, "
                 "Ctrl-] stops the guest at once"]
        if sock:
            qmp = os.path.relpath(SCRIPTS / "ntc-qmp")
            if qmp.startswith(".."):
                qmp = str(SCRIPTS / "ntc-qmp")
            free = [c for c in self.qmp.command("query-hotpluggable-cpus")
                    if "qom-path" not in c]
            lines += [
                "QMP socket: %s" % sock,
                "hot-add a CPU:  %s %s cpu-add" % (qmp, sock),
                "hot-add a DIMM: %s %s dimm-add 256" % (qmp, sock),
                "unplug either:  %s %s device-del ID" % (qmp, sock),
                "or by hand, one command per line, e.g. with "
                "socat - UNIX-CONNECT:%s" % sock,
                '  {"execute": "qmp_capabilities"}',
            ]
            if free:
                slot = min(free, key=lambda c: sorted(c["props"].items()))
                args = dict(driver=slot["type"], id="ucpu1", **slot["props"])
                lines.append("  " + json.dumps({"execute": "device_add",
                                                "arguments": args}))
            lines += [
                '  {"execute": "object-add", "arguments": {"qom-type": '
                '"memory-backend-ram", "id": "umem1", "size": %d}}'
                % (256 << 20),
                '  {"execute": "device_add", "arguments": {"driver": '
                '"pc-dimm", "id": "udimm1", "memdev": "umem1"}}',
            ]
        lines += ["in the guest, . /lib/ntc-lib.sh gives vm_cpu_add, "
                  "vm_dimm_add 256, vm_cpu_del and vm_dimm_del",
                  "this guest can take %d CPU hot-adds in its life "
                  "(maxcpus - smp: QEMU never frees an unplugged vCPU's "
                  "slot); MAXCPUS=N gives it more"
                  % self.hotplug.cpu_add_limit()]
        if self.qmp.version <= CPU_UNPLUG_BREAKS_QEMU:
            lines.append("WARNING: QEMU %d.%d corrupts its heap on any "
                         "hot-add after a CPU unplug: unplug DIMMs first, "
                         "CPUs last, and hot-add nothing after that"
                         % self.qmp.version)
        for line in lines:
            out("ntc-vm: " + line)

    def wait_poweroff(self):
        """Give the guest's kernel a moment to log what it does after DONE."""
        try:
            self.qemu.wait(POWEROFF_GRACE)
        except subprocess.TimeoutExpired:
            note("guest still powering off after %ds: stopping QEMU" %
                 POWEROFF_GRACE)

    # --- requests ----------------------------------------------------------

    def _request(self, rest, deadline):
        """Serve one REQ line; QemuGone goes up to run()."""
        rid, _, rest = rest.partition(" ")
        verb, *args = rest.split() or [""]
        hp = self.hotplug
        handler, nargs = {
            "cpu-add": (hp.cpu_add, 0),
            "cpu-del": (lambda q: hp.cpu_del(q) or "", 1),
            "cpu-plugged": (lambda q: "1" if hp.cpu_plugged(q) else "0", 1),
            "dimm-add": (lambda m: "%s 0x%x 0x%x" % hp.dimm_add(m), 1),
            "dimm-del": (lambda q: hp.dimm_del(q) or "", 1),
            "vmem-resize": (lambda q, m: "0x%x 0x%x" % hp.vmem_resize(q, m),
                            2),
            "caps": (hp.caps, 0),
            "plan-cpu-adds": (lambda n: hp.plan_cpu_adds(int(n)), 1),
        }.get(verb, (None, 0))
        t0 = time.monotonic()
        try:
            if handler is None:
                raise VmError("unknown verb %r" % verb)
            if len(args) != nargs:
                raise VmError("%s takes %d argument(s)" % (verb, nargs))
            # An unplug is bounded by the run's deadline too.
            hp.unplug_timeout = min(hotplug.UNPLUG_TIMEOUT,
                                    max(1, deadline - time.monotonic()))
            reply = "ok " + handler(*args)
        except QemuGone:
            raise
        except (VmError, ValueError) as e:
            reply = "err " + str(e)
        except Exception as e:  # a bug here must not take the run down
            reply = "err ntc-vm failed: %r" % e
        reply = reply.strip().replace("\n", " ")
        note("%s -> %s (%.1fs)" % (" ".join([verb] + args), reply,
                                   time.monotonic() - t0))
        try:
            self.ctl.sendall(("REP %s %s\n" % (rid, reply)).encode())
        except OSError:
            pass                # QEMU is gone: run() sees EOF next


# The first line of each kind of report: one report is one such line and
# what follows it up to the next.
REPORT_HEAD = re.compile("|".join([
    r"\bBUG:", r"\bWARNING:", r"\bOops\b", r"Kernel panic",
    r"general protection fault", r"UBSAN:", r"KASAN:",
    r"kmemleak:.*suspected memory leak", r"INFO: task .* blocked",
    r"RCU stall", r"self-detected stall", r"detected stalls on CPUs",
    r"list_(add|del) corruption", r"kernel BUG at", r"hard LOCKUP",
]))

# Reports a test may provoke on purpose, each by the head line it must
# have. The test declares NAME (--expect-report NAME on ntc-vm, "# ntc-vm:
# --expect-report NAME" in a selftest) and the guest brackets the
# provoking step with "ntc-vm: expect NAME" and "ntc-vm: expect end" in
# the kernel log (the selftests' expect_report). A bracket is forgiven only
# if NAME was declared, the bracket was closed and it holds exactly one
# report, of that kind; one that holds none is trouble too. Everything
# outside brackets is scanned as always.
EXPECTABLE = {
    "lockdep-inversion": re.compile(
        r"WARNING: possible circular locking dependency detected"),
}
EXPECT_MARK = re.compile(r"ntc-vm: expect (\S+)")


def _judge(window, name):
    """Trouble in an expect bracket: none if it holds just the report."""
    heads = [l for l in window if REPORT_HEAD.search(l)]
    if len(heads) == 1 and EXPECTABLE[name].search(heads[0]):
        return []
    if not heads:
        return ["ntc-vm: the expected %s report did not come" % name]
    return [l for l in window if TROUBLE.search(l)]


def scan_console(path, expected=()):
    """Lines of the kernel log that mean trouble, but for the reports
    the test declared (EXPECTABLE's names) where it said they would be."""
    try:
        text = Path(path).read_bytes().decode(errors="replace")
    except OSError:
        return []
    trouble = []
    window, name = None, None
    for line in (l.rstrip("\r") for l in text.split("\n")):
        mark = EXPECT_MARK.search(line)
        if mark and mark.group(1) in expected:
            if window is not None:      # not closed: judged as it is
                trouble += _judge(window, name)
            window, name = [], mark.group(1)
        elif mark and mark.group(1) == "end" and window is not None:
            trouble += _judge(window, name)
            window = None
        elif window is not None:
            window.append(line)
        elif TROUBLE.search(line):
            trouble.append(line)
    if window is not None:              # the guest died inside a bracket
        trouble += [l for l in window if TROUBLE.search(l)] or \
            ["ntc-vm: the guest never closed its %s bracket" % name]
    return trouble
