# SPDX-License-Identifier: GPL-2.0
"""Fast boot: an uncompressed copy of a bzImage, booted via its PVH entry."""

import bz2
import hashlib
import lzma
import os
import re
import struct
import zlib
from pathlib import Path


def _decompress(payload):
    # Decompressor objects, as they stop at the end of the stream: the xz
    # payload is followed by the uncompressed size.
    if payload.startswith(b"\xfd7zXZ\x00"):
        d = lzma.LZMADecompressor()
    elif payload.startswith(b"\x1f\x8b"):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif payload.startswith(b"BZh"):
        d = bz2.BZ2Decompressor()
    else:
        return None             # zstd, lz4, ...: no stdlib decoder
    try:
        return d.decompress(payload)
    except (lzma.LZMAError, zlib.error, OSError):
        return None


def _has_pvh_entry(elf):
    """Whether an ELF64 vmlinux has the Xen PVH entry note QEMU boots from."""
    if elf[:5] != b"\x7fELF\x02":
        return False
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", elf, phoff + i * phentsize)
        if p_type != 4:         # PT_NOTE
            continue
        pos, end = p_offset, p_offset + p_filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", elf, pos)
            name = elf[pos + 12:pos + 12 + namesz]
            if name == b"Xen\0" and ntype == 18:   # XEN_ELFNOTE_PHYS32_ENTRY
                return True
            pos += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    return False


def pvh_vmlinux(kernel, build_dir):
    """An uncompressed copy of bzImage @kernel that QEMU can boot via PVH.

    Under TCG the kernel's own decompressor takes about 5 s of every boot;
    QEMU loads an ELF vmlinux with a PVH entry note directly.  The copy is
    cached in @build_dir.  Returns None when the kernel cannot boot that way
    (no PVH support, a compression Python cannot undo, not a bzImage).
    """
    kernel = Path(kernel).resolve()
    key = hashlib.sha1(str(kernel).encode()).hexdigest()[:8]
    cached = build_dir / ("vmlinux-%s-%s" % (kernel.name, key))
    none = build_dir / (cached.name + ".nopvh")
    mtime = kernel.stat().st_mtime
    for path, result in ((cached, cached), (none, None)):
        if path.exists() and path.stat().st_mtime >= mtime:
            return result

    image = kernel.read_bytes()
    vmlinux = None
    # x86 boot protocol 2.08+ gives the payload's place in the setup header.
    if (len(image) > 0x250 and image[0x202:0x206] == b"HdrS" and
            struct.unpack_from("<H", image, 0x206)[0] >= 0x208):
        setup_sects = image[0x1f1] or 4
        offset, length = struct.unpack_from("<II", image, 0x248)
        start = (setup_sects + 1) * 512 + offset
        vmlinux = _decompress(image[start:start + length])
    if not vmlinux or not _has_pvh_entry(vmlinux):
        none.touch()
        return None
    tmp = build_dir / ("%s.tmp%d" % (cached.name, os.getpid()))
    tmp.write_bytes(vmlinux)
    os.replace(tmp, cached)
    return cached


# --- the kernel's own modules ----------------------------------------------

def kernel_release(kernel):
    """The release a bzImage names in its setup header, or None."""
    try:
        with open(kernel, "rb") as f:
            head = f.read(0x10000)
    except OSError:
        return None
    if len(head) < 0x210 or head[0x202:0x206] != b"HdrS":
        return None
    ptr, = struct.unpack_from("<H", head, 0x20e)
    text = head[0x200 + ptr:0x200 + ptr + 256].split(b"\0")[0]
    return text.split(b" ")[0].decode(errors="replace") or None


def module_tree(kernel):
    """Where the modules of the kernel image @kernel are, or None.

    Debian puts them in <root>/lib/modules/<release> for
    <root>/boot/vmlinuz-<release>, and beside the image for
    <root>/usr/lib/modules/<release>/vmlinuz (7.x); a lane that unpacks a
    kernel package (dpkg -x: usr/lib/modules, and no modules.dep, which
    depmod writes on installation) keeps that layout under its own root.
    """
    kernel = Path(kernel).resolve()
    candidates = [kernel.parent]
    release = kernel_release(kernel)
    if kernel.name.startswith("vmlinuz-"):
        release = kernel.name[len("vmlinuz-"):]
    if release:
        root = kernel.parent.parent
        candidates += [root / "lib/modules" / release,
                       root / "usr/lib/modules" / release,
                       Path("/lib/modules") / release]
    for tree in candidates:
        if (tree / "kernel").is_dir() and (
                (tree / "modules.dep").is_file() or
                tree.name == release):
            return tree
    return None


def _name(path):
    return Path(path).name.split(".ko")[0].replace("-", "_")


def _depends(tree):
    """{module name: (path, [dependencies])} of the modules in @tree."""
    dep = tree / "modules.dep"
    if dep.is_file():
        mods = {}
        for line in dep.read_text().splitlines():
            mod, _, rest = line.partition(":")
            mods[_name(mod)] = (tree / mod, [_name(d) for d in rest.split()])
        return mods
    # No depmod was run: read each module's modinfo when it is needed.
    return {_name(p): (p, None) for p in (tree / "kernel").rglob("*.ko*")}


def _modinfo_depends(path):
    m = re.search(rb"(?:^|\0)depends=([^\0]*)\0", module_bytes(path))
    return [_name(d) for d in m.group(1).decode().split(",") if d] if m \
        else []


def modules_to_load(tree, names):
    """The files of modules @names and their dependencies, in load order.

    Returns [(module name, path)]. A module the tree lacks is built in
    (Debian 13 builds virtio_pci in) if modules.builtin says so, or if
    there is no such list (dpkg -x of a trixie image has none); otherwise
    it raises KeyError.
    """
    mods = _depends(tree)
    builtin = tree / "modules.builtin"
    builtin = {_name(m) for m in builtin.read_text().split()} \
        if builtin.is_file() else None
    order = []

    def visit(name):
        if name in order:
            return
        if name not in mods:
            if builtin is not None and name not in builtin:
                raise KeyError(name)
            return
        path, deps = mods[name]
        if deps is None:
            deps = _modinfo_depends(path)
        # modules.dep lists every dependency, the deepest last.
        for dep in reversed(deps):
            visit(dep)
        order.append(name)

    for name in names:
        visit(name.replace("-", "_"))
    return [(name, mods[name][0]) for name in order]
def module_bytes(path):
    """A module file's contents, uncompressed (busybox insmod wants that)."""
    data = Path(path).read_bytes()
    if str(path).endswith(".xz"):
        return lzma.decompress(data)
    if str(path).endswith(".gz"):
        return zlib.decompress(data, 16 + zlib.MAX_WBITS)
    if str(path).endswith(".zst"):
        raise ValueError("%s: zstd, which Python cannot undo" % path)
    return data
