#!/usr/bin/env python3
"""Boot one QEMU guest on a private test network and report its verdict.

The network: a network namespace made for this run (ppv-<pid>) holding a tap
device with the host address 198.18.0.1/24 (RFC 2544 benchmark range); the
guest takes 198.18.0.2/24.  iperf3 and sockperf servers run inside that
namespace.  QEMU itself runs inside it, so the tap is reachable by name.
Everything is torn down on exit, also on failure and on signals; only the PIDs
started here are killed.

Channels:
  ttyS0  the guest console; kept in --log, TAP lines are echoed to stdout.
  ttyS1  the guest's requests to the host, one line each, answered with one
         line: "link up|down" (QMP set_link), "sh CMD" (run CMD in the
         namespace, reply is its output on one line), "ping" (reply "pong").
  QMP    a unix socket for the runner (and set_link).

Verdict: the guest prints "PPV-VERDICT passed=N failed=M" before powering
off.  Exit status 0 if it did and M is 0; 1 if tests failed; 2 if the guest
or QEMU failed (no verdict, timeout, panic, QEMU did not start).
"""

import argparse
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback

HOST_IP = "198.18.0.1"
BOOT_HUNG = 3         # Vm.boot(): the kernel hung or died before /init
GUEST_IP = "198.18.0.2"
NS_PREFIX = "ppv-"


def log(msg):
    print(f"# [host] {msg}", flush=True)


def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kw)


def clean_stale_namespaces():
    """Remove ppv-<pid> namespaces whose run is gone (killed with -9, say)."""
    out = run(["ip", "netns", "list"], check=False).stdout
    for line in out.splitlines():
        name = line.split()[0] if line.split() else ""
        m = re.fullmatch(NS_PREFIX + r"(\d+)", name)
        if not m:
            continue
        if os.path.exists(f"/proc/{m.group(1)}"):
            continue
        pids = run(["ip", "netns", "pids", name], check=False).stdout.split()
        log(f"removing stale namespace {name} left by a killed run"
            + (f" (its leftover processes {' '.join(pids)})" if pids else ""))
        for p in pids:
            try:
                os.kill(int(p), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        run(["ip", "netns", "del", name], check=False)


class Qmp:
    def __init__(self, path, timeout=30, proc=None):
        deadline = time.time() + timeout
        while True:
            # QEMU that exits on a bad option leaves its socket file behind:
            # stop waiting at once rather than retrying until the deadline
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"QEMU exited ({proc.returncode})")
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.time() > deadline:
                    raise RuntimeError(f"QMP socket {path} did not appear")
                time.sleep(0.1)
        self.f = self.s.makefile("rw")
        self.lock = threading.Lock()
        # QEMU can open the socket, then exit on a later option (-device):
        # a reset or EOF here means it did not start, not a harness crash
        try:
            json.loads(self.f.readline())  # greeting
            self.cmd("qmp_capabilities")
        except (OSError, ValueError) as e:
            raise RuntimeError(f"QMP handshake failed: {e!r}") from e

    def cmd(self, execute, **args):
        with self.lock:
            self.f.write(json.dumps({"execute": execute, "arguments": args}) + "\n")
            self.f.flush()
            while True:
                r = json.loads(self.f.readline())
                if "return" in r or "error" in r:
                    return r


class Vm:
    def __init__(self, a):
        self.a = a
        self.ns = f"{NS_PREFIX}{os.getpid()}"
        self.rundir = f"/tmp/{self.ns}"
        self.procs = []       # servers we started
        self.qemu = None
        self.qmp = None
        self.last_test = "(boot)"
        self.verdict = None
        self.powered_down = None    # when the guest said it powers off
        self.panic = None
        self.stop = False
        self.last_req = None   # [request, when asked, when answered]
        self.booted = False
        self.quiet = True     # kernel log off the console (retry: on)

    # ---------------------------------------------------------------- network
    def net_up(self):
        clean_stale_namespaces()
        os.makedirs(self.rundir, exist_ok=True)
        run(["ip", "netns", "add", self.ns])
        nse = ["ip", "netns", "exec", self.ns]
        tap = ["ip", "tuntap", "add", "dev", "ppvtap0", "mode", "tap"]
        if self.a.queues > 1:
            tap.append("multi_queue")
        run(nse + tap)
        if self.a.host_mtu:
            run(nse + ["ip", "link", "set", "ppvtap0", "mtu", str(self.a.host_mtu)])
        host_if = "ppvtap0"
        if self.a.peer_nic:
            # a second guest NIC (the kernel selftests' remote end) on the
            # same wire: both taps in a bridge, which takes the host address
            run(nse + ["ip", "tuntap", "add", "dev", "ppvtap1", "mode", "tap"])
            run(nse + ["ip", "link", "add", "ppvbr0", "type", "bridge"])
            for t in ("ppvtap0", "ppvtap1"):
                run(nse + ["ip", "link", "set", t, "master", "ppvbr0"])
                run(nse + ["ip", "link", "set", t, "up"])
            run(nse + ["ip", "link", "set", "ppvbr0", "up"])
            host_if = "ppvbr0"
        run(nse + ["ip", "addr", "add", f"{HOST_IP}/24", "dev", host_if])
        # no IPv6 chatter from the host side: counters see only test traffic
        run(nse + ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"])
        run(nse + ["sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"])
        run(nse + ["ip", "link", "set", "lo", "up"])
        run(nse + ["ip", "link", "set", "ppvtap0", "up"])
        for port in (5201, 5202):
            self.start(nse + ["iperf3", "-s", "-B", HOST_IP, "-p", str(port)],
                       f"iperf3-{port}")
        if self.a.sockperf:
            self.start(nse + ["sockperf", "sr", "-i", HOST_IP, "-p", "11111",
                              "--tcp"], "sockperf-tcp")
            self.start(nse + ["sockperf", "sr", "-i", HOST_IP, "-p", "11112"],
                       "sockperf-udp")

    def start(self, cmd, name):
        f = open(os.path.join(self.rundir, name + ".log"), "w")
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
        self.procs.append(p)
        return p

    def teardown(self):
        for p in ([self.qemu] if self.qemu else []) + self.procs:
            if p.poll() is None:
                p.terminate()
        for p in ([self.qemu] if self.qemu else []) + self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        run(["ip", "netns", "del", self.ns], check=False)
        subprocess.run(["rm", "-rf", self.rundir])

    # ------------------------------------------------------------------- qemu
    def qemu_cmd(self):
        a = self.a
        dev = ["virtio-net-pci", "netdev=n0", "disable-legacy=on",
               "mac=52:54:00:12:34:56"]
        netdev = ["tap", "id=n0", "ifname=ppvtap0", "script=no",
                  "downscript=no", "vhost=off"]
        if a.queues > 1:
            netdev.append(f"queues={a.queues}")
            dev += ["mq=on"]
        if a.vectors is not None:
            dev.append(f"vectors={a.vectors}")
        if a.rx_ring:
            dev.append(f"rx_queue_size={a.rx_ring}")
        if a.tx_ring:
            dev.append(f"tx_queue_size={a.tx_ring}")
        if a.packed:
            dev.append("packed=on")
        if a.host_mtu:
            dev.append(f"host_mtu={a.host_mtu}")
        if a.device_opts:
            dev += a.device_opts.split(",")
        # slab_nomerge: every driver cache gets its own /sys/kernel/slab entry
        # log_buf_len: the stock kernel's 128 KB ring wraps in 1,000 flaps
        # (the guest copies /dev/kmsg as it goes, but a burst while it is
        # descheduled must still fit); printk.devkmsg=on: the guest's
        # position markers in /dev/kmsg are never rate limited;
        # sysrq_always_enabled: a hung guest is asked for its backtraces
        # (dump_hung)
        append = ["console=ttyS0", "panic=-1", "oops=panic", "slab_nomerge",
                  "log_buf_len=4M", "printk.devkmsg=on", "sysrq_always_enabled",
                  f"ppv.driver={a.driver}", f"ppv.mode={a.mode}"]
        append += ["quiet", "loglevel=4"] if self.quiet else ["ignore_loglevel"]
        if a.tests:
            append.append("ppv.tests=" + ",".join(a.tests.split()))
        if a.iommu:
            append.append("intel_iommu=on")
        if a.append:
            append.append(a.append)
        cpu = [] if a.cpu == "default" else ["-cpu", a.cpu]
        cmd = [a.qemu, "-M", "q35", "-accel", "tcg"] + cpu + [
               "-smp", str(a.smp), "-m", str(a.mem),
               "-kernel", a.kernel, "-initrd", a.initrd,
               "-append", " ".join(append),
               "-display", "none", "-no-reboot", "-nodefaults",
               "-serial", "stdio",
               "-serial", f"unix:{self.rundir}/ctl.sock,server=on,wait=off",
               "-qmp", f"unix:{self.rundir}/qmp.sock,server=on,wait=off"]
        # a translating IOMMU (VT-d) ahead of the NIC, which QEMU wants
        # created first; no interrupt remapping (x2APIC and KVM's split
        # irqchip are not the point)
        if a.iommu:
            cmd += ["-device", "intel-iommu,intremap=off"]
        cmd += ["-netdev", ",".join(netdev), "-device", ",".join(dev)]
        if a.peer_nic:
            cmd += ["-netdev", "tap,id=n1,ifname=ppvtap1,script=no,"
                    "downscript=no,vhost=off",
                    "-device", f"{a.peer_nic},netdev=n1,mac=52:54:00:12:34:57"]
        # host folders, read-only over 9p (the kernel selftests' userland)
        for i, sh in enumerate(a.share):
            path, tag = sh.rsplit(":", 1)
            cmd += ["-fsdev", f"local,id=fs{i},path={path},security_model=none,"
                    "readonly=on,multidevs=remap",
                    "-device", f"virtio-9p-pci,fsdev=fs{i},mount_tag={tag},"
                    "disable-legacy=on"]
        if a.icount is not None:
            cmd += ["-icount", f"shift={a.icount}"]
        if a.s3:    # ACPI S3 (q35's ICH9 has it off by default)
            cmd += ["-global", "ICH9-LPC.disable_s3=0"]
        if a.qemu_args:
            cmd += a.qemu_args.split()
        return ["ip", "netns", "exec", self.ns] + cmd

    def control_loop(self):
        """Serve the guest's requests on ttyS1: "@N request" is answered with
        "@N answer" (lib.sh's host()); a number asked again (the guest saw
        no answer in 30 s) gets the remembered answer, not a second run."""
        path = f"{self.rundir}/ctl.sock"
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        t0 = time.time()
        while not self.stop:
            try:
                s.connect(path)
                break
            except OSError as e:
                if time.time() - t0 > 120:
                    log(f"cannot connect to the guest's ttyS1 at {path}: {e};"
                        " the guest's requests will go unanswered")
                    return
                time.sleep(0.1)
        answers = {}
        dropped = False
        buf = b""
        try:
            while not self.stop:
                r, _, _ = select.select([s], [], [], 0.5)
                if not r:
                    continue
                data = s.recv(4096)
                if not data:
                    return
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    req = line.decode(errors="replace").strip()
                    tag = ""
                    m = re.match(r"@(\d+) (.*)", req)
                    if m:
                        tag, req = f"@{m.group(1)} ", m.group(2)
                    if not req:
                        continue
                    self.last_req = [req, time.time(), None]
                    if tag and tag in answers:
                        reply = answers[tag]
                        log(f"guest asked again for {tag}'{req}'")
                    else:
                        reply = self.serve(req).replace("\n", " | ")
                        if tag:
                            answers[tag] = reply
                            answers.pop(f"@{int(tag[1:]) - 20} ", None)
                    if tag == f"@{self.a.drop_answer} " and not dropped:
                        dropped = True   # --drop-answer: as if lost
                        log(f"dropping the answer to {tag}'{req}'")
                    else:
                        s.sendall((tag + reply + "\n").encode())
                    self.last_req[2] = time.time()
        except Exception as e:  # say so: the guest would wait in silence
            if not self.stop:
                log(f"the guest's request channel failed: {e!r}")

    def serve(self, req):
        try:
            if req == "ping":
                return "pong"
            if req in ("link up", "link down"):
                r = self.qmp.cmd("set_link", name="n0", up=req == "link up")
                return "ok" if "return" in r else "error " + json.dumps(r)
            # "wakeup N": wake a guest suspended to RAM (S3) in N seconds
            # (QMP system_wakeup); "powerbutton N": press the ACPI power
            # button in N seconds (QMP system_powerdown), which wakes a
            # guest suspended to idle. The guest asks before it suspends.
            if req.startswith(("wakeup ", "powerbutton ")):
                what = ("system_wakeup" if req.startswith("wakeup ")
                        else "system_powerdown")
                t = threading.Timer(float(req.split()[1]),
                                    lambda: self.qmp.cmd(what))
                t.daemon = True
                t.start()
                return "ok"
            # QEMU's own CPU time so far, clock ticks (USER_HZ) of user +
            # system time per kind of thread: "main N vcpu N other N"
            # (tools/bench.sh: the device model's work, which runs in the
            # main loop, per byte and per packet next to the guest's)
            if req == "qemustat":
                return self.qemustat()
            # the NIC's receive filter as QEMU holds it, one line of JSON
            if req == "rxfilter":
                r = self.qmp.cmd("query-rx-filter")
                return json.dumps(r.get("return", [r])[0], sort_keys=True)
            if req.startswith("hmp "):   # a QEMU monitor command (debugging)
                r = self.qmp.cmd("human-monitor-command",
                                 **{"command-line": req[4:]})
                return r.get("return", json.dumps(r)).strip() or "ok"
            if req.startswith("udpsink "):
                return self.udpsink(req.split()[1:])
            if req.startswith("xfer "):
                return self.xfer(req.split()[1:])
            if req.startswith("rawsend "):
                return self.rawsend(req.split()[1:])
            if req.startswith("garp "):
                return self.garp(req.split()[1:])
            if req.startswith("udpflows "):
                return self.udpflows(req.split()[1:])
            if req.startswith("sh "):
                r = subprocess.run(["ip", "netns", "exec", self.ns, "sh", "-c",
                                    req[3:]], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True,
                                   timeout=120)
                return r.stdout.strip() or f"(exit {r.returncode})"
            return "error unknown request"
        except Exception as e:  # reply, never leave the guest waiting
            return f"error {e}"

    # A UDP receiver in the namespace (netconsole's peer): "udpsink start
    # PORT" starts it (a tracked process, stopped at teardown), "udpsink
    # count PORT REGEX" counts the datagrams whose text matches.
    SINK = ("import socket, sys\n"
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)\n"
            "s.bind((sys.argv[1], int(sys.argv[2])))\n"
            "f = open(sys.argv[3], 'ab', buffering=0)\n"
            "while True:\n"
            "    f.write(s.recv(65536).rstrip(b'\\n') + b'\\n')\n")

    def udpsink(self, args):
        if len(args) < 2 or not args[1].isdigit():
            return "error usage: udpsink start|count PORT [REGEX]"
        path = os.path.join(self.rundir, f"udpsink-{args[1]}.txt")
        if args[0] == "start":
            open(path, "wb").close()
            self.start(["ip", "netns", "exec", self.ns, sys.executable, "-c",
                        self.SINK, HOST_IP, args[1], path],
                       f"udpsink-{args[1]}")
            time.sleep(0.5)
            return "ok"
        if args[0] == "count" and len(args) >= 3:
            rx = re.compile(" ".join(args[2:]))
            with open(path, "rb") as f:
                return str(sum(1 for ln in f
                               if rx.search(ln.decode(errors="replace"))))
        return "error usage: udpsink start|count PORT [REGEX]"

    # Raw frames from the host's tap (tests/vm/ctrl.sh: the device's MAC,
    # multicast and VLAN filters): "rawsend VID COUNT DSTMAC" sends COUNT
    # frames of the local experimental ethertype 0x88b5 to DSTMAC, tagged
    # with VLAN VID unless VID is 0. No stack on either side answers them.
    RAW = ("import socket, sys, struct\n"
           "vid, n, dst = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]\n"
           "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
           "s.bind(('ppvtap0', 0))\n"
           "src = open('/sys/class/net/ppvtap0/address').read().strip()\n"
           "mac = lambda m: bytes.fromhex(m.replace(':', ''))\n"
           "f = mac(dst) + mac(src)\n"
           "if vid: f += struct.pack('!HH', 0x8100, vid)\n"
           "f += struct.pack('!H', 0x88b5) + b'ppvnet filter test'.ljust(46)\n"
           "for i in range(n): s.send(f)\n")

    def rawsend(self, args):
        if (len(args) != 3 or not args[0].isdigit() or not args[1].isdigit()
                or not re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", args[2])):
            return "error usage: rawsend VID COUNT DSTMAC"
        r = subprocess.run(["ip", "netns", "exec", self.ns, sys.executable,
                            "-c", self.RAW] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=30)
        return "ok" if r.returncode == 0 else "error " + r.stdout.strip()

    # UDP flows to the guest, paced (tests/vm/rss.sh: where RSS puts each
    # flow): "udpflows FLOWS PER" sends PER 64-byte datagrams from each of
    # FLOWS source ports to the guest's discard port, one every 2 ms, so
    # that no receive ring fills (QEMU 7.2's RSS stalls a tap queue whose
    # packet it could not place on another queue).
    FLOWS = ("import socket, sys, time\n"
             "n, per = int(sys.argv[1]), int(sys.argv[2])\n"
             "ss = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
             " for i in range(n)]\n"
             "for s in ss: s.bind((sys.argv[3], 0))\n"
             "for k in range(per):\n"
             "    for s in ss:\n"
             "        s.sendto(b'ppvnet rss test'.ljust(64), (sys.argv[4], 9))\n"
             "        time.sleep(0.002)\n")

    def udpflows(self, args):
        if len(args) != 2 or not all(a.isdigit() for a in args):
            return "error usage: udpflows FLOWS PER"
        r = subprocess.run(["ip", "netns", "exec", self.ns, sys.executable,
                            "-c", self.FLOWS] + args + [HOST_IP, GUEST_IP],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=100)
        return "ok" if r.returncode == 0 else "error " + r.stdout.strip()

    def qemustat(self):
        t = {"main": 0, "vcpu": 0, "other": 0}
        pid = self.qemu.pid
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    st = f.read()
            except OSError:
                continue     # a thread that just ended
            comm = st[st.index("(") + 1:st.rindex(")")]
            f = st[st.rindex(")") + 2:].split()
            ticks = int(f[11]) + int(f[12])    # utime, stime
            if int(tid) == pid:
                t["main"] += ticks
            elif comm.startswith("CPU "):
                t["vcpu"] += ticks
            else:
                t["other"] += ticks
        return " ".join(f"{k} {v}" for k, v in t.items())

    # Gratuitous ARPs and unsolicited IPv6 neighbour advertisements on the
    # host's tap (tests/vm/ctrl.sh: the guest's announcement): "garp start
    # IP" counts, from then on, ARP frames whose sender and target address
    # are both IP, and ICMPv6 neighbour advertisements (type 136) to the
    # all-nodes group; "garp count" says how many of the first, "garp
    # na" how many of the second.
    GARP = ("import socket, sys\n"
            "ip = socket.inet_aton(sys.argv[1])\n"
            "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, "
            "socket.htons(0x0003))\n"
            "s.bind(('ppvtap0', 0))\n"
            "n = na = 0\n"
            "while True:\n"
            "    f, a = s.recvfrom(2048)\n"
            "    if a[2] == socket.PACKET_OUTGOING:\n"
            "        continue\n"
            "    if (len(f) >= 42 and f[12:14] == b'\\x08\\x06' and\n"
            "            f[28:32] == ip and f[38:42] == ip):\n"
            "        n += 1\n"
            "        open(sys.argv[2], 'w').write(str(n))\n"
            "    if (len(f) >= 55 and f[0:6] == b'\\x33\\x33\\x00\\x00\\x00\\x01' and\n"
            "            f[12:14] == b'\\x86\\xdd' and f[20] == 58 and f[54] == 136):\n"
            "        na += 1\n"
            "        open(sys.argv[2] + '.na', 'w').write(str(na))\n")

    def garp(self, args):
        path = os.path.join(self.rundir, "garp.txt")
        if len(args) == 2 and args[0] == "start":
            for p in (path, path + ".na"):
                with open(p, "w") as f:
                    f.write("0")
            self.start(["ip", "netns", "exec", self.ns, sys.executable, "-c",
                        self.GARP, args[1], path], "garp")
            time.sleep(0.5)
            return "ok"
        if args in (["count"], ["na"]):
            with open(path + (".na" if args == ["na"] else "")) as f:
                return f.read().strip() or "0"
        return "error usage: garp start IP | garp count | garp na"

    # A TCP peer for checked transfers (tests/vm/xfer.sh), IPv4 and IPv6 on
    # one port: "PUT BYTES ID" then BYTES bytes: it appends "ID SHA256
    # BYTES" to its log once they are in, then closes; "GET BYTES SEED ID":
    # it sends BYTES pseudo-random bytes drawn from SEED, logs the same way,
    # then closes. Connections are served one at a time, in order.
    XFER = ("import socket, sys, hashlib\n"
            "def serve(c):\n"
            "    f = c.makefile('rb')\n"
            "    w = f.readline().split()\n"
            "    h = hashlib.sha256(); n = int(w[1]); done = 0\n"
            "    if w[0] == b'PUT':\n"
            "        while done < n:\n"
            "            b = f.read(min(1 << 16, n - done))\n"
            "            if not b: break\n"
            "            h.update(b); done += len(b)\n"
            "    elif w[0] == b'GET':\n"
            "        blk = hashlib.sha256(w[2]).digest()\n"
            "        while done < n:\n"
            "            b = b''.join(hashlib.sha256(blk + i.to_bytes(4, 'little')).digest() for i in range(2048))\n"
            "            blk = b[:32]; b = b[:n - done]\n"
            "            c.sendall(b); h.update(b); done += len(b)\n"
            "    with open(sys.argv[2], 'a') as o:\n"
            "        o.write(f'{w[-1].decode()} {h.hexdigest()} {done}\\n')\n"
            "s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)\n"
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)\n"
            "s.bind(('::', int(sys.argv[1]))); s.listen(8)\n"
            "while True:\n"
            "    c, _ = s.accept()\n"
            "    try:\n"
            "        serve(c)\n"
            "    except Exception as e:\n"
            "        print('xfer:', e, file=sys.stderr)\n"
            "    c.close()\n")

    def xfer(self, args):
        """xfer start PORT | xfer result PORT ID"""
        if len(args) < 2 or not args[1].isdigit():
            return "error usage: xfer start PORT | xfer result PORT ID"
        path = os.path.join(self.rundir, f"xfer-{args[1]}.txt")
        if args[0] == "start":
            open(path, "w").close()
            self.start(["ip", "netns", "exec", self.ns, sys.executable, "-c",
                        self.XFER, args[1], path], f"xfer-{args[1]}")
            time.sleep(0.5)
            return "ok"
        if args[0] == "result" and len(args) == 3:
            found = "none"
            with open(path) as f:
                for ln in f:
                    w = ln.split()
                    if w and w[0] == args[2]:
                        found = " ".join(w[1:])
            return found
        return "error usage: xfer start PORT | xfer result PORT ID"

    def boot(self):
        a = self.a
        # a retried boot appends: the first console stays in the log
        logf = open(a.log, "w" if self.quiet else "a") if a.log else None
        cmd = self.qemu_cmd()
        t0 = time.time()
        # stderr to a file: a pipe nobody reads could fill and stall QEMU
        self.errf = open(os.path.join(self.rundir, "qemu.err"), "w+")
        self.qemu = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=self.errf,
                                     stdin=subprocess.DEVNULL)
        try:
            self.qmp = Qmp(f"{self.rundir}/qmp.sock", proc=self.qemu)
        except RuntimeError as e:
            try:
                self.qemu.wait(timeout=10)
            except subprocess.TimeoutExpired:  # alive but no QMP: stop it
                self.qemu.kill()
                self.qemu.wait()
            err = self.qemu_err()
            log(f"QEMU failed to start (exit {self.qemu.returncode}): "
                f"{err or e}")
            return 2
        threading.Thread(target=self.control_loop, daemon=True).start()
        deadline = t0 + a.timeout
        fd = self.qemu.stdout.fileno()
        for text in self.console_lines(fd, logf):
            if time.time() >= deadline:
                log(f"timeout: guest still running after {a.timeout}s, "
                    f"hung in test '{self.last_test}'; killing QEMU")
                if self.last_req:
                    req, got, done = self.last_req
                    log(f"the guest's last request to the host: '{req}', "
                        f"{time.time() - got:.0f} s ago, " +
                        (f"answered in {done - got:.1f} s" if done else
                         "not answered"))
                self.dump_hung(fd, logf)
                self.tail(logf)
                return 2
            if not self.booted and time.time() - t0 > a.boot_timeout:
                log(f"guest did not reach /init within {a.boot_timeout}s "
                    f"(no driver code has run yet); QEMU state: "
                    f"{self.cpu_state()}")
                self.tail(logf)
                return BOOT_HUNG
            if text is not None:
                self.line(text)
            # after an S3 cycle QEMU 7.2 leaves the guest's ACPI power-off
            # undone (seen in tests/vm/pm.sh): the verdict is in, so end it
            if (self.verdict is not None and self.powered_down and
                    time.time() - self.powered_down > 10 and
                    self.qemu.poll() is None):
                log("the guest powered off, QEMU did not stop: quitting it")
                self.qmp.cmd("quit")
                self.powered_down = None
        self.qemu.wait()
        self.stop = True
        took = time.time() - t0
        if self.verdict is None:
            why = self.panic or f"QEMU exited ({self.qemu.returncode})"
            err = self.qemu_err()
            if not self.booted:
                # e.g. 6.12 or 7.3 under TCG, rarely (seen on 7.3 while
                # another guest loaded the host; none in 12 boots on an
                # idle one): an int3 Oops in early boot (text patching of
                # a static key, "sched_clock: Marking stable"), long
                # before any module is loaded
                log(f"guest ended before /init (no driver code has run "
                    f"yet): {why} {err}")
                self.tail(logf)
                return BOOT_HUNG
            log(f"guest ended without a verdict during test "
                f"'{self.last_test}': {why} {err}")
            self.tail(logf)
            return 2
        log(f"guest finished in {took:.1f}s: passed={self.verdict[0]} "
            f"failed={self.verdict[1]}")
        return 0 if self.verdict[1] == 0 else 1

    @staticmethod
    def console_lines(fd, logf):
        """The console's lines as they come, each also into the console
        log; None after a second without one (the caller's chance to look
        at its clocks); ends when QEMU closes the console."""
        buf = b""
        while True:
            r, _, _ = select.select([fd], [], [], 1.0)
            if not r:
                yield None
                continue
            data = os.read(fd, 65536)
            if not data:
                return
            if logf:
                logf.write(data.decode(errors="replace"))
                logf.flush()
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                yield line.decode(errors="replace").rstrip("\r")

    def cpu_state(self):
        """Run state and each vCPU's RIP, for a report on a hung boot."""
        try:
            st = self.qmp.cmd("query-status").get("return", {})
            regs = self.qmp.cmd("human-monitor-command",
                                **{"command-line": "info registers -a"})
            rips = re.findall(r"RIP=([0-9a-f]+)", regs.get("return", ""))
            return f"status {st.get('status')}, RIP {' '.join(rips)}"
        except Exception as e:  # diagnostics only
            return f"(QMP failed: {e})"

    # dump_hung: where a backtrace starts (each CPU's, a blocked task's),
    # where the interrupted code was, one frame
    HUNG_HEAD = re.compile(r"NMI backtrace for cpu \d+.*|task:\S+ +state:D")
    HUNG_RIP = re.compile(r"RIP: 0010:\S+")
    HUNG_FRAME = re.compile(r"^\s*(\? )?[a-z_][\w.]*\+0x[0-9a-f]+/0x[0-9a-f]+")

    def dump_hung(self, fd, logf):
        """A guest that outran its timeout: each vCPU's RIP as QEMU sees it,
        then the guest's own backtraces of all CPUs and of blocked tasks
        (SysRq 9, l and w on the PS/2 keyboard; the console shows them at
        loglevel 9), read for up to 10 s into the console log; here, per
        backtrace, where it was and 8 frames (a CPU's from its interrupted
        RIP on, not the SysRq path). Diagnostics only: a hang of the
        emulator itself answers nothing, and that is a finding too."""
        log(f"QEMU state: {self.cpu_state()}")
        try:
            for key in ("alt-sysrq-9", "alt-sysrq-l", "alt-sysrq-w"):
                self.qmp.cmd("human-monitor-command",
                             **{"command-line": f"sendkey {key}"})
                time.sleep(0.3)
        except Exception as e:  # diagnostics only
            log(f"(SysRq not sent: {e})")
            return
        shown, end = 0, time.time() + 10
        frames = None       # frames left to show of this backtrace
        for text in self.console_lines(fd, logf):
            if time.time() >= end:
                break
            if text is None:
                continue
            text = re.sub(r"^\[[ 0-9.]+\] ?", "", text)
            m = self.HUNG_HEAD.search(text)
            if m:
                # a task's frames count at once; a CPU's after its RIP
                frames = 8 if m.group(0).startswith("task:") else None
                show = m.group(0)
            elif self.HUNG_RIP.search(text):
                frames, show = 8, self.HUNG_RIP.search(text).group(0)
            elif frames and self.HUNG_FRAME.search(text):
                frames -= 1
                show = "  " + self.HUNG_FRAME.search(text).group(0).strip()
            else:
                continue
            if shown < 80:
                log("guest: " + show)
                shown += 1
        if not shown:
            log("guest: no backtrace on the console within 10 s")

    def kill_qemu(self):
        if self.qemu and self.qemu.poll() is None:
            self.qemu.kill()
            self.qemu.wait()
        self.stop = True

    def qemu_err(self):
        self.errf.flush()
        self.errf.seek(0)
        return self.errf.read().strip()[-2000:]

    def tail(self, logf):
        if logf:
            logf.flush()
            log(f"console log: {self.a.log}")

    def line(self, s):
        m = re.search(r"PPV-VERDICT passed=(\d+) failed=(\d+)", s)
        if m:
            self.verdict = (int(m.group(1)), int(m.group(2)))
            return
        if "PPV-BOOTED" in s:
            self.booted = True
            return
        if "reboot: Power down" in s:
            self.powered_down = time.time()
            return
        m = re.search(r"PPV-TEST (.*)", s)
        if m:
            self.last_test = m.group(1)
            return
        if "Kernel panic" in s:
            self.panic = s.strip()
        if (re.match(r"(not )?ok \d+", s) or s.startswith("#")
                or s.startswith("PPV ") or self.a.echo):
            print(s, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--driver", default="ppvnet",
                   choices=["ppvnet", "virtio_net", "none"])
    p.add_argument("--mode", default="test", choices=["test", "demo", "shell"])
    p.add_argument("--tests", default="", help="space separated test names")
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--mem", type=int, default=1024, help="MiB")
    p.add_argument("--queues", type=int, default=1, help="queue pairs (mq)")
    p.add_argument("--rx-ring", type=int, default=0)
    p.add_argument("--tx-ring", type=int, default=0)
    p.add_argument("--packed", action="store_true")
    p.add_argument("--host-mtu", type=int, default=0)
    p.add_argument("--iommu", action="store_true",
                   help="a VT-d IOMMU (intel-iommu) that translates the NIC's DMA")
    p.add_argument("--vectors", type=int, default=None,
                   help="MSI-X vectors, 0 = INTx")
    p.add_argument("--device-opts", default="",
                   help="more virtio-net-pci properties, comma separated")
    p.add_argument("--icount", type=int, default=None)
    p.add_argument("--peer-nic", default="",
                   help="a second NIC of this QEMU model on the same wire")
    p.add_argument("--share", action="append", default=[],
                   help="HOSTDIR:TAG, a read-only 9p share (repeatable)")
    p.add_argument("--cpu", default="max",
                   help="QEMU CPU model; 'default' leaves QEMU's own (qemu64)")
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--qemu-args", default="")
    p.add_argument("--s3", action="store_true",
                   help="offer ACPI S3 (tests/vm/pm.sh suspends to RAM)")
    p.add_argument("--append", default="")
    p.add_argument("--sockperf", action="store_true")
    p.add_argument("--timeout", type=int, default=300, help="seconds")
    p.add_argument("--boot-timeout", type=int, default=180,
                   help="seconds for the kernel to reach /init")
    p.add_argument("--drop-answer", type=int, default=0,
                   help="harness self-test: lose the first answer to the "
                   "guest's request number N")
    p.add_argument("--log", default="", help="console log file")
    p.add_argument("--echo", action="store_true", help="echo whole console")
    a = p.parse_args()

    if os.geteuid() != 0:
        print("vm.py: must run as root (network namespaces, tap)", file=sys.stderr)
        return 2
    vm = Vm(a)

    def on_signal(sig, _frm):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        vm.net_up()
        rc = vm.boot()
        if rc == BOOT_HUNG:
            # Seen rarely: a silent debug guest under host load, a 6.12
            # or 7.3 guest that oopsed in early boot; both before /init,
            # so before any test or driver code. One more boot, with the
            # kernel log on the console so that a second failure shows
            # where it stops.
            vm.kill_qemu()
            log("retrying the boot once, kernel log on the console")
            vm.qemu, vm.qmp, vm.stop, vm.quiet = None, None, False, False
            rc = vm.boot()
            if rc == BOOT_HUNG:
                log("the guest hung or died before /init twice")
                rc = 2
        return rc
    except KeyboardInterrupt:
        log("interrupted")
        return 2
    except subprocess.CalledProcessError as e:
        log(f"setup failed: {' '.join(e.cmd)}: {e.stdout.strip()}")
        return 2
    except Exception:  # a harness bug is not a test failure (exit 1)
        log("harness error:\n" + traceback.format_exc())
        return 2
    finally:
        vm.teardown()


if __name__ == "__main__":
    sys.exit(main())
