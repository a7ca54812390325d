# SPDX-License-Identifier: GPL-2.0
"""A minimal QMP client: synchronous commands, events kept for later."""

import json
import socket
import time

# Events nobody waits for (ACPI_DEVICE_OST of every hot-add, RTC_CHANGE...)
# are kept only this many deep.
EVENTS_KEPT = 256


class VmError(Exception):
    """Something the harness reports in one line and gives up on."""


class Timeout(VmError):
    pass


class QemuGone(VmError):
    """The QMP connection closed: QEMU exited or was killed."""


class Qmp:
    def __init__(self, sock, greeting_timeout=30):
        self.sock = sock
        self.buf = b""
        self.events = []
        greeting = self._read(greeting_timeout)
        ver = greeting["QMP"]["version"]["qemu"]
        self.version = (ver["major"], ver["minor"])
        self.command("qmp_capabilities")

    @classmethod
    def connect(cls, path):
        """A client of the unix socket @path (ntc-vm --qmp-socket)."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
        except OSError as e:
            sock.close()
            raise VmError("%s: %s: no QEMU listens there (is make shell "
                          "running?)" % (path, e.strerror))
        return cls(sock)

    def close(self):
        self.sock.close()

    def _read(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout("no QMP message within %gs" % timeout)
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                data = b""
            if not data:
                raise QemuGone("QEMU closed its QMP connection")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            raise VmError("QMP sent something that is not JSON: %r"
                          % line[:200])

    def _keep(self, event):
        self.events.append(event)
        del self.events[:-EVENTS_KEPT]

    def send(self, msg, timeout=30):
        """Send one command as given; return its reply, events kept."""
        try:
            self.sock.sendall(json.dumps(msg).encode() + b"\n")
        except OSError:
            raise QemuGone("QEMU closed its QMP connection")
        while True:
            reply = self._read(timeout)
            if "event" in reply:
                self._keep(reply)
            else:
                return reply

    def command(self, name, args=None, timeout=30):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        reply = self.send(msg, timeout)
        if "error" in reply:
            raise VmError("%s: %s" % (name, reply["error"]["desc"]))
        return reply.get("return")

    def forget(self, match):
        """Drop the events kept so far for which match() is true."""
        self.events = [ev for ev in self.events if not match(ev)]

    def wait_event(self, match, timeout):
        """Return (and forget) the first event for which match() is true."""
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.events:
                if match(ev):
                    self.events.remove(ev)
                    return ev
            msg = self._read(max(0, deadline - time.monotonic()))
            if "event" in msg:
                self._keep(msg)
