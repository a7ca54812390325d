# SPDX-License-Identifier: GPL-2.0
"""A minimal QMP client."""

import json
import socket
import time


class VmError(Exception):
    pass


class Timeout(VmError):
    pass


class Qmp:
    """A minimal QMP client: synchronous commands, events kept for later."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.events = []
        greeting = self._read(30)
        ver = greeting["QMP"]["version"]["qemu"]
        self.version = (ver["major"], ver["minor"])
        self.command("qmp_capabilities")

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
                raise VmError("QMP connection closed: QEMU is gone")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name, args=None, timeout=30):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        try:
            self.sock.sendall(json.dumps(msg).encode() + b"\n")
        except OSError:
            raise VmError("QMP connection closed: QEMU is gone")
        while True:
            reply = self._read(timeout)
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise VmError("%s: %s" % (name, reply["error"]["desc"]))
            elif "return" in reply:
                return reply["return"]

    def wait_event(self, match, timeout):
        """Return (and forget) the first event for which match() is true."""
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.events:
                if match(ev):
                    self.events.remove(ev)
                    return ev
            self.events.append(self._read(max(0, deadline - time.monotonic())))
