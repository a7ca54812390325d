# SPDX-License-Identifier: GPL-2.0
"""CPU, DIMM and virtio-mem hotplug over QMP, one policy for every client.

ntc-vm serves its guest's requests with it and ntc-qmp a user's commands,
both maybe against the same QEMU (make shell). What must hold across
clients and calls is kept in a State: how many CPUs this QEMU has been
given, whether one was unplugged, the unplug still in flight, the ids
handed out. With a state file (make shell: beside its QMP socket) every
operation holds the file's lock, so the two clients also take turns.
"""

import contextlib
import fcntl
import json
import time

from .qmp import Timeout, VmError

UNPLUG_TIMEOUT = 60     # seconds for the guest to release a device

# QEMU up to this version leaves an unplugged vCPU's address spaces
# registered (upstream later added cpu_address_space_destroy): under TCG the
# next change of the memory map writes to freed memory.  Measured on 7.2: a
# CPU hot-add after a CPU unplug crashed QEMU every time, a DIMM unplug
# sometimes; the guest also gets slow (stalls of seconds), and a second CPU
# unplug hung the guest in stop_machine in about 1 run of 7.  So after a
# CPU unplug only further CPU unplugs are served there.
CPU_UNPLUG_BREAKS_QEMU = (7, 2)

# ACPI _OST source of an eject request (ACPI spec, table "_OST source event").
OST_EJECT_REQUEST = 3
# _OST status codes that are not a refusal: success, "ejection in progress".
OST_NOT_REFUSED = (0x00, 0x84)

MIB = 1 << 20


class State:
    """What the hotplug of one QEMU remembers, in memory or in a file.

    A file's state belongs to the QEMU whose name (-name) it records; one
    found with another name is from an earlier session and starts over.
    """

    FRESH = {"qemu": None, "cpu_adds": 0, "cpus_seen": [],
             "cpu_unplugged": False, "pending_unplug": None, "next_id": {}}

    def __init__(self, path=None):
        self.path = path
        self.data = json.loads(json.dumps(self.FRESH))

    @contextlib.contextmanager
    def held(self, qemu_name):
        """The state, locked and current, for one operation."""
        if not self.path:
            yield self.data
            return
        with open(self.path, "a+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.seek(0)
            try:
                data = json.loads(f.read() or "{}")
            except ValueError:
                data = {}
            if data.get("qemu") != qemu_name:
                data = json.loads(json.dumps(self.FRESH))
                data["qemu"] = qemu_name
            self.data = data
            try:
                yield data
            finally:
                f.seek(0)
                f.truncate()
                f.write(json.dumps(data))
                f.flush()


class Hotplug:
    """Hot-add and unplug on the QEMU behind @qmp."""

    def __init__(self, qmp, state=None, unplug_timeout=UNPLUG_TIMEOUT):
        self.qmp = qmp
        self.state = state or State()
        self.unplug_timeout = unplug_timeout
        self.qemu_name = (qmp.command("query-name") or {}).get("name")
        self.version = qmp.version

    # --- bookkeeping --------------------------------------------------------

    @contextlib.contextmanager
    def _op(self):
        """The state for one operation, CPUs added by hand counted."""
        with self.state.held(self.qemu_name) as st:
            self._count_cpus(st, self._cpu_slots())
            yield st

    def _cpu_slots(self):
        return self.qmp.command("query-hotpluggable-cpus")

    def _count_cpus(self, st, slots):
        """Count hot-added CPUs present that no call of ours added (raw QMP).

        Boot CPUs live under /machine/unattached; device_add puts CPUs
        under /machine/peripheral(-anon).  A CPU added and unplugged by
        hand between two calls of ours goes uncounted.
        """
        for slot in slots:
            path = slot.get("qom-path", "")
            if path.startswith("/machine/peripheral") and \
                    path not in st["cpus_seen"]:
                st["cpus_seen"].append(path)
                st["cpu_adds"] += 1

    def cpu_add_limit(self, slots=None):
        """How many CPU hot-adds this QEMU can take in its whole life.

        QEMU 10.0 never frees an unplugged vCPU's TCG context, and has
        maxcpus of them: boot CPUs take theirs, each hot-add one more, and
        the hot-add after the last aborts QEMU (tcg_register_thread:
        assertion failed: (n < tcg_max_ctxs)).  (7.2 takes no hot-add
        after an unplug at all.)
        """
        slots = slots or self._cpu_slots()
        boot = sum(1 for s in slots
                   if s.get("qom-path", "").startswith("/machine/unattached"))
        return len(slots) - boot

    def _readd_breaks(self, st):
        return st["cpu_unplugged"] and self.version <= CPU_UNPLUG_BREAKS_QEMU

    def _check_add(self, st, what):
        """Refuse @what where QEMU 7.2 would corrupt its heap."""
        if self._readd_breaks(st):
            raise VmError("%s refused: a CPU was unplugged, and QEMU %d.%d "
                          "corrupts its heap on any hot-add after that "
                          "(QEMU 10 does not: scripts/install-deps installs "
                          "it)" % ((what,) + self.version))

    def _new_id(self, st, prefix, taken):
        n = st["next_id"].get(prefix, 0)
        while True:
            n += 1
            if "%s%d" % (prefix, n) not in taken:
                st["next_id"][prefix] = n
                return "%s%d" % (prefix, n)

    def _taken(self):
        return self.peripherals() | {o["name"] for o in self.qmp.command(
            "qom-list", {"path": "/objects"})}

    def peripherals(self):
        """The ids of the devices added with device_add that still exist."""
        return {c["name"] for c in self.qmp.command(
            "qom-list", {"path": "/machine/peripheral"})}

    def caps(self):
        """What a test may plan with: "key=value" words."""
        with self._op() as st:
            left = self.cpu_add_limit() - st["cpu_adds"]
            vmem = [d for d in self.qmp.command(
                "qom-list", {"path": "/machine/peripheral"})
                if d["type"] == "child<virtio-mem-pci>"]
            return ("qemu=%d.%d cpu_adds_left=%d cpu_readd=%d vmem=%s" %
                    (self.version + (left,
                     int(self.version > CPU_UNPLUG_BREAKS_QEMU),
                     vmem[0]["name"] if vmem else "none")))

    def plan_cpu_adds(self, n):
        """Fail unless @n more CPU hot-adds fit in this QEMU's life."""
        with self._op() as st:
            limit = self.cpu_add_limit()
            left = limit - st["cpu_adds"]
            if n > left:
                raise VmError(
                    "%d CPU hot-adds planned, but this guest can take %d "
                    "more (QEMU gives a guest maxcpus - smp = %d in its "
                    "life: boot it with a larger --maxcpus)"
                    % (n, left, limit))
            return "%d" % left

    # --- CPUs ---------------------------------------------------------------

    def cpu_add(self):
        """Hot-add a CPU in the lowest free slot; return its id."""
        with self._op() as st:
            self._check_add(st, "CPU hot-add")
            slots = self._cpu_slots()
            limit = self.cpu_add_limit(slots)
            if st["cpu_adds"] >= limit:
                raise VmError(
                    "CPU hot-add refused: this guest has had its %d, as many "
                    "as QEMU can give it (maxcpus - smp: it never frees an "
                    "unplugged vCPU's slot, and aborts on one more); boot it "
                    "with a larger --maxcpus (make shell MAXCPUS=N)" % limit)
            free = [c for c in slots if "qom-path" not in c]
            if not free:
                raise VmError("no free CPU slot: unplug one first")
            # QEMU lists slots highest first; take the lowest for a stable
            # order.
            slot = min(free, key=lambda c: sorted(c["props"].items()))
            qid = self._new_id(st, "cpu", self._taken())
            self.qmp.command("device_add", dict(slot["props"],
                                                driver=slot["type"], id=qid))
            st["cpu_adds"] += 1
            st["cpus_seen"].append("/machine/peripheral/" + qid)
            return qid

    def cpu_plugged(self, qid):
        """Whether QEMU lists @qid in a CPU slot (a vetoed add keeps it)."""
        path = "/machine/peripheral/" + qid
        return any(s.get("qom-path") == path for s in self._cpu_slots())

    def cpu_del(self, qid):
        if not self.cpu_plugged(qid):
            raise VmError("%s is not a hot-added CPU" % qid)
        self._unplug(qid, cpu=True)

    # --- DIMMs --------------------------------------------------------------

    def dimm_add(self, mib):
        """Hot-add a pc-dimm of @mib MiB; return (id, address, size)."""
        try:
            size = int(mib) * MIB
        except ValueError:
            raise VmError("size must be a number of MiB, not %r" % mib)
        with self._op() as st:
            self._check_add(st, "DIMM hot-add")
            taken = self._taken()
            mem = self._new_id(st, "mem", taken)
            qid = self._new_id(st, "dimm", taken)
            # reserve=False: no swap is reserved for it, so that a guest
            # can be given more DIMM memory than this machine has (make
            # bench adds 16 GiB); only what the guest touches is used.
            self.qmp.command("object-add", {"qom-type": "memory-backend-ram",
                                            "id": mem, "size": size,
                                            "reserve": False})
            try:
                self.qmp.command("device_add", {"driver": "pc-dimm",
                                                "id": qid, "memdev": mem})
            except VmError:
                self.qmp.command("object-del", {"id": mem})
                raise
            addr = self._get(qid, "addr")
            return qid, addr, size

    def _get(self, qid, prop):
        return self.qmp.command("qom-get", {"path": "/machine/peripheral/" +
                                            qid, "property": prop})

    def _dimm_memdev(self, qid):
        if qid not in self.peripherals():
            return None
        typ = self.qmp.command("qom-get", {"path": "/machine/peripheral/" +
                                           qid, "property": "type"})
        if typ != "pc-dimm":
            return None
        return self._get(qid, "memdev").rsplit("/", 1)[-1]

    def dimm_del(self, qid):
        memdev = self._dimm_memdev(qid)
        if not memdev:
            raise VmError("%s is not a hot-added DIMM" % qid)
        self._unplug(qid, then=lambda: self.qmp.command(
            "object-del", {"id": memdev}))

    def device_del(self, qid):
        """Unplug a CPU or a DIMM, whichever @qid is."""
        if self.cpu_plugged(qid):
            self.cpu_del(qid)
        elif self._dimm_memdev(qid):
            self.dimm_del(qid)
        elif qid in self.peripherals():
            raise VmError("%s is neither a hot-added CPU nor a DIMM" % qid)
        else:
            raise VmError("no device %s" % qid)

    # --- virtio-mem ---------------------------------------------------------

    def vmem_resize(self, qid, mib, timeout=60):
        """Ask virtio-mem device @qid for @mib MiB; wait until the guest
        has plugged or unplugged that much. Returns (region address,
        plugged size)."""
        try:
            mib = int(mib)
        except ValueError:
            raise VmError("size must be a number of MiB, not %r" % mib)
        want = mib * MIB
        with self._op() as st:
            self._check_add(st, "virtio-mem resize")
            if qid not in self.peripherals() or self._get(
                    qid, "type") != "virtio-mem-pci":
                raise VmError("%s is not a virtio-mem device" % qid)
            self.qmp.command("qom-set", {
                "path": "/machine/peripheral/" + qid,
                "property": "requested-size", "value": want})
            deadline = time.monotonic() + timeout
            while self._get(qid, "size") != want:
                if time.monotonic() > deadline:
                    raise VmError(
                        "%s: the guest plugged %d MiB, not the %d asked for, "
                        "within %ds (are virtio_pci and virtio_mem loaded?)" %
                        (qid, self._get(qid, "size") // MIB, mib, timeout))
                time.sleep(0.1)
            return self._get(qid, "memaddr"), want

    # --- unplug -------------------------------------------------------------

    def _unplug(self, qid, cpu=False, then=None):
        """device_del @qid, wait until it is gone, then call then().

        One unplug at a time: device_del calls back to back have crashed
        QEMU 7.2.  A previous one that timed out may still complete.
        """
        with self._op() as st:
            if not cpu:
                self._check_add(st, "unplug of %s" % qid)
            if st["pending_unplug"]:
                self._wait_deleted(st, st["pending_unplug"])
            if cpu:
                st["cpu_unplugged"] = True
            # An event from an earlier life of this id is not our answer.
            self.qmp.forget(lambda ev: self._about(ev, qid))
            self.qmp.command("device_del", {"id": qid})
            st["pending_unplug"] = qid
            self._wait_deleted(st, qid)
            if then:
                then()

    @staticmethod
    def _about(ev, qid):
        data = ev.get("data", {})
        return (data.get("device") == qid or
                data.get("info", {}).get("device") == qid)

    def _wait_deleted(self, st, qid):
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
                st["pending_unplug"] = None      # it will not happen
                raise VmError("%s: guest refused the eject (_OST status 0x%x)"
                              % (qid, ev["data"]["info"]["status"]))
            if ev or qid not in self.peripherals():
                st["pending_unplug"] = None
                return
            if time.monotonic() >= deadline:
                raise VmError("%s: still plugged after %ds (did the guest "
                              "refuse to offline it?)" %
                              (qid, self.unplug_timeout))
