# SPDX-License-Identifier: GPL-2.0
"""One QEMU guest: its console, its control port, its hotplug requests."""

import json
import os
import re
import select
import socket
import subprocess
import sys
import termios
import threading
import time
import tty
from pathlib import Path

from .qmp import Qmp, Timeout, VmError

SCRIPTS = Path(__file__).resolve().parent.parent

UNPLUG_TIMEOUT = 60     # seconds for the guest to release a device
# After DONE the guest powers itself off, normally within 0.1 s; after a CPU
# unplug (see below) that can take 10 s or more, and there is nothing left
# to wait for.
POWEROFF_GRACE = 5

# Kernel log lines that fail a run however the script ended.
TROUBLE = re.compile("|".join([
    r"\bBUG:", r"\bWARNING:", r"\bOops\b", r"Kernel panic",
    r"general protection fault", r"Call Trace:", r"UBSAN:", r"KASAN:",
    r"kmemleak:.*suspected memory leak", r"unreferenced object 0x",
    r"INFO: task .* blocked", r"possible circular locking",
    r"inconsistent lock state", r"possible recursive locking",
    r"suspicious RCU usage", r"RCU stall", r"self-detected stall",
    r"detected stalls on CPUs", r"list_(add|del) corruption",
    r"kernel BUG at", r"hard LOCKUP",
]))

# QEMU up to this version leaves an unplugged vCPU's address spaces
# registered (upstream later added cpu_address_space_destroy): under TCG the
# next change of the memory map writes to freed memory.  Measured on 7.2: a
# CPU hot-add after a CPU unplug crashed QEMU every time, a DIMM unplug
# sometimes; the guest also gets slow (stalls of seconds), and a second CPU
# unplug hung the guest in stop_machine in about 1 run of 7.  So after a
# cpu-del only further cpu-dels are served.
CPU_UNPLUG_BREAKS_QEMU = (7, 2)

# Hot-added memory blocks arrive offline on every kernel, whatever its
# MEMORY_HOTPLUG_DEFAULT_ONLINE (off in Debian's 6.1, on in its 6.12): the
# guest's ntc-uevent onlines them as movable, so that a DIMM can be unplugged
# again, and tests see the same sequence of events everywhere.
MEMHP = "memhp_default_state=offline "

# ACPI _OST source of an eject request (ACPI spec, table "_OST source event").
OST_EJECT_REQUEST = 3
# _OST status codes that are not a refusal: success, "ejection in progress".
OST_NOT_REFUSED = (0x00, 0x84)

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
        self.ncpu = self.ndimm = 0
        self.dimm_backend = {}
        self.pending_unplug = None  # device whose DEVICE_DELETED never came
        self.unplug_timeout = UNPLUG_TIMEOUT
        self.start_time = start_time
        self.cpu_unplugged = False
        self.first_msg_time = None
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
        if o.qmp_socket:
            # A second monitor, for the user: QEMU serves both.
            Path(o.qmp_socket).unlink(missing_ok=True)
            cmd += ["-chardev", "socket,id=uqmp,path=%s,server=on,wait=off"
                    % o.qmp_socket, "-mon", "chardev=uqmp,mode=control"]
        # Own session: a Ctrl-C reaches us, and we take QEMU down in order.
        self.qemu = subprocess.Popen(cmd, pass_fds=fds,
                                     stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        for s in (con_q, ctl_q, qmp_q):
            s.close()           # so that QEMU's exit reads as EOF here
        self.ctl = ctl
        self.con = con
        self.console_thread = threading.Thread(target=self._pump_console,
                                               args=(con,), daemon=True)
        self.console_thread.start()
        self.qmp = Qmp(qmp)

    def stop(self, grace=5):
        if self.qemu and self.qemu.poll() is None:
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
            if not select.select([self.ctl], [], [], min(left, 60))[0]:
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

    def run(self):
        """Serve the guest until DONE; return its rc, or None if none came."""
        deadline = self.start_time + (self.opts.timeout or float("inf"))
        while True:
            line = self._ctl_line(deadline)
            if line is None:
                note("QEMU exited (code %s) before DONE" % self.qemu.wait())
                return None
            kind, _, rest = line.partition(" ")
            if self.first_msg_time is None and kind in ("OUT", "REQ"):
                self.first_msg_time = time.monotonic()
            if kind == "OUT":
                out(rest)
            elif kind == "REQ":
                self._request(rest, deadline)
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
                  "vm_dimm_add 256, vm_cpu_del and vm_dimm_del"]
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
        rid, _, rest = rest.partition(" ")
        verb, *args = rest.split() or [""]
        handler, nargs = {
            "cpu-add": (self.cpu_add, 0), "cpu-del": (self.cpu_del, 1),
            "dimm-add": (self.dimm_add, 1), "dimm-del": (self.dimm_del, 1),
        }.get(verb, (None, 0))
        t0 = time.monotonic()
        try:
            if handler is None:
                raise VmError("unknown verb %r" % verb)
            if len(args) != nargs:
                raise VmError("%s takes %d argument(s)" % (verb, nargs))
            if (self.cpu_unplugged and verb != "cpu-del" and
                    self.qmp.version <= CPU_UNPLUG_BREAKS_QEMU):
                raise VmError("refused after a cpu-del: QEMU %d.%d would "
                              "crash; unplug CPUs last" % self.qmp.version)
            # An unplug is bounded by the run's deadline too.
            self.unplug_timeout = min(UNPLUG_TIMEOUT,
                                      max(1, deadline - time.monotonic()))
            reply = "ok " + handler(*args)
        except VmError as e:
            reply = "err " + str(e)
        reply = reply.strip().replace("\n", " ")
        note("%s -> %s (%.1fs)" % (" ".join([verb] + args), reply,
                                   time.monotonic() - t0))
        try:
            self.ctl.sendall(("REP %s %s\n" % (rid, reply)).encode())
        except OSError:
            pass                # QEMU is gone: run() sees EOF next

    def cpu_add(self):
        free = [c for c in self.qmp.command("query-hotpluggable-cpus")
                if "qom-path" not in c]
        if not free:
            raise VmError("no free CPU slot (maxcpus=%d)" % self.opts.maxcpus)
        # QEMU lists slots highest first; take the lowest for a stable order.
        slot = min(free, key=lambda c: sorted(c["props"].items()))
        self.ncpu += 1
        qid = "hcpu%d" % self.ncpu
        self.qmp.command("device_add", dict(slot["props"], driver=slot["type"],
                                            id=qid))
        return qid

    def cpu_del(self, qid):
        self.cpu_unplugged = True
        self._unplug(qid)
        return ""

    def dimm_add(self, mib):
        try:
            size = int(mib) << 20
        except ValueError:
            raise VmError("size must be a number of MiB, not %r" % mib)
        self.ndimm += 1
        qid, mem = "dimm%d" % self.ndimm, "mem%d" % self.ndimm
        self.qmp.command("object-add", {"qom-type": "memory-backend-ram",
                                        "id": mem, "size": size})
        try:
            self.qmp.command("device_add", {"driver": "pc-dimm", "id": qid,
                                            "memdev": mem})
        except VmError:
            self.qmp.command("object-del", {"id": mem})
            raise
        self.dimm_backend[qid] = mem
        addr = self.qmp.command("qom-get",
                                {"path": "/machine/peripheral/" + qid,
                                 "property": "addr"})
        return "%s 0x%x 0x%x" % (qid, addr, size)

    def dimm_del(self, qid):
        if qid not in self.dimm_backend:
            raise VmError("%s is not a DIMM added by dimm-add" % qid)
        self._unplug(qid)
        self.qmp.command("object-del", {"id": self.dimm_backend.pop(qid)})
        return ""

    def _unplug(self, qid):
        # One unplug at a time: device_del calls back to back have crashed
        # QEMU 7.2.  A previous one that timed out may still complete.
        if self.pending_unplug:
            self._wait_deleted(self.pending_unplug)
        self.qmp.command("device_del", {"id": qid})
        self.pending_unplug = qid
        self._wait_deleted(qid)

    def _wait_deleted(self, qid):
        """Wait until @qid is gone, or until the guest refuses to eject it.

        DEVICE_DELETED is the usual sign, but QEMU 7.2 under TCG never sends
        it for a CPU (the vCPU object is never finalized).  A device that has
        left /machine/peripheral is gone all the same: its slot and its id
        are free again.  So poll for that too.
        """
        def match(ev):
            data = ev.get("data", {})
            if ev["event"] == "DEVICE_DELETED":
                return data.get("device") == qid
            if ev["event"] == "ACPI_DEVICE_OST":
                info = data.get("info", {})
                return (info.get("device") == qid and
                        info.get("source") == OST_EJECT_REQUEST and
                        info.get("status") not in OST_NOT_REFUSED)
            return False

        deadline = time.monotonic() + self.unplug_timeout
        while True:
            try:
                ev = self.qmp.wait_event(match, 0.1)
            except Timeout:
                ev = None
            if ev and ev["event"] == "ACPI_DEVICE_OST":
                self.pending_unplug = None      # it will not happen
                raise VmError("%s: guest refused the eject (_OST status 0x%x)"
                              % (qid, ev["data"]["info"]["status"]))
            if ev or qid not in self._peripherals():
                self.pending_unplug = None
                return
            if time.monotonic() >= deadline:
                raise VmError("%s: still plugged after %ds" %
                              (qid, self.unplug_timeout))

    def _peripherals(self):
        """The ids of the devices added with device_add that still exist."""
        children = self.qmp.command("qom-list",
                                    {"path": "/machine/peripheral"})
        return {c["name"] for c in children}


def scan_console(path):
    """Lines of the kernel log that mean trouble."""
    try:
        text = Path(path).read_bytes().decode(errors="replace")
    except OSError:
        return []
    return [l.rstrip("\r") for l in text.split("\n") if TROUBLE.search(l)]
