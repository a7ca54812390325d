# SPDX-License-Identifier: GPL-2.0
"""The guest's initramfs: busybox, scripts/guest/init and the test's files."""

import gzip
import os
import stat
import subprocess
from pathlib import Path

GUEST = Path(__file__).resolve().parent.parent / "guest"
BUSYBOX = "/bin/busybox"


class Initramfs:
    """A gzipped newc cpio archive assembled in memory.

    Written by hand rather than with cpio(1) so that /dev/console can be a
    device node without needing mknod (and root) on the host.
    """

    def __init__(self):
        self.entries = {}       # guest path -> (mode, data, rdev)

    def _parents(self, path):
        parent = os.path.dirname(path)
        if parent != "/" and parent not in self.entries:
            self.add_dir(parent)

    def add_dir(self, path, mode=0o755):
        self._parents(path)
        self.entries[path] = (stat.S_IFDIR | mode, b"", (0, 0))

    def add_file(self, path, data, mode=0o644):
        self._parents(path)
        self.entries[path] = (stat.S_IFREG | mode, data, (0, 0))

    def add_symlink(self, path, target):
        self._parents(path)
        self.entries[path] = (stat.S_IFLNK | 0o777, target.encode(), (0, 0))

    def add_chardev(self, path, major, minor, mode=0o600):
        self._parents(path)
        self.entries[path] = (stat.S_IFCHR | mode, b"", (major, minor))

    def add_host(self, host, guest):
        """Copy a host file, symlink or directory tree to @guest."""
        st = os.lstat(host)
        if stat.S_ISLNK(st.st_mode):
            self.add_symlink(guest, os.readlink(host))
        elif stat.S_ISDIR(st.st_mode):
            self.add_dir(guest, stat.S_IMODE(st.st_mode))
            for name in sorted(os.listdir(host)):
                self.add_host(os.path.join(host, name),
                              os.path.join(guest, name))
        elif stat.S_ISREG(st.st_mode):
            self.add_file(guest, Path(host).read_bytes(),
                          stat.S_IMODE(st.st_mode))
        # Sockets, fifos and devices have no business in a test tree.

    def write(self, path):
        with gzip.open(path, "wb", compresslevel=6) as f:
            for ino, (name, (mode, data, rdev)) in enumerate(
                    sorted(self.entries.items()), start=1):
                self._entry(f, ino, name.lstrip("/"), mode, data, rdev)
            self._entry(f, 0, "TRAILER!!!", 0, b"", (0, 0))

    @staticmethod
    def _entry(f, ino, name, mode, data, rdev):
        name = name.encode() + b"\0"
        nlink = 2 if stat.S_ISDIR(mode) else 1
        fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(name), 0)
        hdr = b"070701" + b"".join(b"%08X" % v for v in fields)
        f.write(hdr + name + b"\0" * (-(len(hdr) + len(name)) % 4))
        f.write(data + b"\0" * (-len(data) % 4))


def build_uevent_helper(build_dir):
    """Build scripts/guest/ntc-uevent.c statically, once per source change."""
    src = GUEST / "ntc-uevent.c"
    binary = build_dir / "ntc-uevent"
    if binary.exists() and binary.stat().st_mtime >= src.stat().st_mtime:
        return binary
    tmp = build_dir / ("ntc-uevent.tmp%d" % os.getpid())
    subprocess.run(["gcc", "-static", "-O2", "-Wall", "-o", str(tmp),
                    str(src)], check=True)
    os.replace(tmp, binary)     # atomic for a concurrent run
    return binary


def build_initramfs(path, run_script, adds, helper, files=()):
    """@adds are (host path, guest path), @files (guest path, bytes)."""
    fs = Initramfs()
    for d in ("/dev", "/proc", "/sys", "/tmp", "/work", "/root"):
        fs.add_dir(d)
    fs.add_chardev("/dev/console", 5, 1)
    fs.add_file("/bin/busybox", Path(BUSYBOX).read_bytes(), 0o755)
    applets = subprocess.run([BUSYBOX, "--list-full"], check=True,
                             capture_output=True, text=True).stdout.split()
    for applet in applets:
        if "/" in applet and applet != "bin/busybox":
            fs.add_symlink("/" + applet, "/bin/busybox")
    fs.add_file("/init", (GUEST / "init").read_bytes(), 0o755)
    fs.add_file("/lib/ntc-lib.sh", (GUEST / "ntc-lib.sh").read_bytes())
    fs.add_file("/sbin/ntc-uevent", helper.read_bytes(), 0o755)
    for host, guest in adds:
        fs.add_host(host, guest)
    for guest, data in files:
        fs.add_file(guest, data)
    fs.add_file("/work/run", Path(run_script).read_bytes(), 0o755)
    fs.write(path)
