#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus of each fuzzer: corpus/<target>/<name>.

A few small inputs that reach the interesting paths at once; the encodings
are documented at the top of fuzz_vring.c and fuzz_rxhdr.c.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# fuzz_vring opcodes
ADD, PUBLISH, KICK, GET, ENABLE, DISABLE, USED, IDX_ADD, IDX_SET, EVENT, \
    FLAGS, COMPLETE, RESET, ENABLE_DELAYED, ADD_INDIRECT = range(15)


def cfg(order, event_idx):
    return bytes([order | (8 if event_idx else 0)])


def add(n, out, length):
    return bytes([ADD, n | out << 3, length])


def add_ind(n, out_thirds, length, null_token=False):
    """n buffers (0..15), out_thirds * n // 3 of them readable."""
    return bytes([ADD_INDIRECT, n | out_thirds << 4 | (0xc0 if null_token else 0),
                  length])


def used(pos, ident, length):
    return bytes([USED, pos, ident]) + struct.pack('<H', length)


VRING = {
    # ring of 4: fill it, an honest device returns all, drain, again
    'roundtrip': cfg(2, False) + (add(1, 0, 64) + add(2, 1, 64) + add(1, 1, 9) +
                                  bytes([KICK, COMPLETE, 2, COMPLETE, 40,
                                         COMPLETE, 0, GET, 15])) * 3,
    # event index: avail_event before, at and after the published window
    'event_idx': cfg(3, True) + add(1, 0, 8) + add(1, 0, 8) +
    bytes([EVENT, 0, KICK, EVENT, 1]) + add(1, 0, 8) +
    bytes([KICK, EVENT, 0xff, KICK, DISABLE, COMPLETE, 0, COMPLETE, 0,
           ENABLE, GET, 3, ENABLE]),
    # no event index: NO_NOTIFY and NO_INTERRUPT
    'flags': cfg(3, False) + add(3, 1, 100) +
    bytes([FLAGS, 1, KICK, FLAGS, 0, KICK, DISABLE, COMPLETE, 50, ENABLE,
           GET, 0, ENABLE]),
    # a lying device: bad id, middle descriptor, long length, index jump
    'malicious': cfg(3, False) + add(3, 1, 16) + bytes([PUBLISH]) +
    used(0, 9, 0) + used(1, 1, 0) + used(2, 0, 1000) +
    bytes([IDX_ADD, 3, GET, 5]) + used(3, 0xff, 0) + bytes([0, 0, 0, 0x80]) +
    bytes([IDX_ADD, 1, GET, 1, IDX_ADD, 9, GET, 1]) + add(1, 0, 1),
    # chains left in flight, a reset, more chains left at the end
    'reset': cfg(4, True) + add(5, 2, 30) + add(4, 0, 1) + add(7, 3, 2) +
    bytes([KICK, COMPLETE, 1, RESET]) + add(2, 1, 5) +
    bytes([IDX_SET, 0xff, 0xff, GET, 1]),
    # indirect chains mixed with direct ones on a ring of 8, round and round
    'indirect': cfg(3, True) + (add_ind(7, 1, 40) + add(2, 1, 8) +
                                add_ind(1, 0, 9) + add_ind(4, 3, 3) +
                                bytes([KICK, COMPLETE, 10, COMPLETE, 1,
                                       COMPLETE, 2, COMPLETE, 0, GET, 15])) * 4,
    # refused: no buffers, longer than the ring, NULL token, ring full;
    # one descriptor left takes a table of 4; a lie about the length
    'indirect_enospc': cfg(2, False) + add_ind(0, 0, 1) + add_ind(5, 0, 1) +
    add_ind(15, 3, 1) + add_ind(2, 1, 1, null_token=True) + add(3, 0, 1) +
    add_ind(4, 2, 10) + add_ind(1, 0, 1) +
    bytes([PUBLISH, COMPLETE, 0, COMPLETE, 21, GET, 3, RESET]) +
    add_ind(2, 0, 100) + bytes([KICK]) + used(0, 0, 0xffff) +
    bytes([IDX_ADD, 1, GET, 1]),
}

RXHDR = {}

# fuzz_rxhdr: posted_len, used_len, caps (flags, gso bits,
# ecn | mrg << 1 | hash << 2, max_bufs), then the buffer (see fuzz_rxhdr.c)
NEEDS_CSUM, DATA_VALID, RSC_INFO = 1, 2, 4
TCPV4, UDP, TCPV6, UDP_L4, ECN = 1, 3, 4, 5, 0x80
ALL_GSO = 1 << TCPV4 | 1 << UDP | 1 << TCPV6 | 1 << UDP_L4


def rx(name, posted, used_len, flags=0, gso=0, gso_size=0, csum_start=0,
       csum_offset=0, nbuf=1, caps_flags=0, caps_gso=0, ecn=False, mrg=False,
       max_bufs=256, payload=b'\xaa' * 60, report=None):
    """report: HASH_REPORT negotiated, the 20-byte header with this type."""
    caps = struct.pack('<BBBH', caps_flags, caps_gso,
                       (1 if ecn else 0) | (2 if mrg else 0) |
                       (4 if report is not None else 0), max_bufs)
    hdr = struct.pack('<BBHHHHH', flags, gso, 0, gso_size, csum_start,
                      csum_offset, nbuf)
    if report is not None:
        hdr += struct.pack('<IHH', 0x9e3779b9, report, 0)
    RXHDR[name] = struct.pack('<II', posted, used_len) + caps + hdr + payload


ALL = dict(caps_flags=NEEDS_CSUM | RSC_INFO, caps_gso=ALL_GSO, ecn=True,
           mrg=True)

rx('good', 1526, 72)
rx('data_valid', 1526, 72, flags=DATA_VALID, nbuf=0)
rx('shortest', 1526, 26, payload=b'\xaa' * 14)
rx('too_short', 1526, 25, payload=b'\xaa' * 13)
rx('too_long', 64, 72)
rx('bad_flags', 1526, 72, flags=0x10, **ALL)
rx('bad_gso_type', 1526, 72, gso=2, gso_size=1448, **ALL)
# not negotiated
rx('csum_no_cap', 1526, 72, flags=NEEDS_CSUM, csum_start=34, csum_offset=16)
rx('rsc_no_cap', 1526, 72, flags=RSC_INFO | DATA_VALID)
rx('gso_no_cap', 1526, 72, gso=TCPV4, gso_size=1448,
   caps_gso=1 << TCPV6)
rx('ecn_no_cap', 1526, 72, gso=TCPV4 | ECN, gso_size=1448,
   caps_gso=1 << TCPV4)
# malformed
rx('ecn_gso_none', 1526, 72, gso=ECN, gso_size=1448, **ALL)
rx('gso_size_0', 1526, 72, gso=TCPV6, **ALL)
rx('csum_at_end', 1526, 72, flags=NEEDS_CSUM, csum_start=44, csum_offset=14,
   **ALL)
rx('csum_past_end', 1526, 72, flags=NEEDS_CSUM, csum_start=44,
   csum_offset=15, **ALL)
# a TSO packet over 44 mergeable buffers, everything negotiated
rx('tso_mrg', 1526, 1526, flags=NEEDS_CSUM, gso=TCPV4 | ECN, gso_size=1448,
   csum_start=34, csum_offset=16, nbuf=44, payload=b'\xaa' * 1514, **ALL)
# num_buffers: counted with MRG_RXBUF, ignored (poison) without
rx('nbuf_0', 1526, 72, nbuf=0, mrg=True, max_bufs=8)
rx('nbuf_max', 1526, 72, nbuf=8, mrg=True, max_bufs=8)
rx('nbuf_over', 1526, 72, nbuf=9, mrg=True, max_bufs=8)
rx('nbuf_refused', 1526, 72, flags=NEEDS_CSUM, csum_offset=16, nbuf=5,
   mrg=True, max_bufs=8)
rx('nbuf_poison', 1526, 72, nbuf=0x6b6b)
# HASH_REPORT: 20-byte header
rx('hash_tcp4', 1534, 80, report=2, **ALL)
rx('hash_last', 1534, 80, report=9, **ALL)
rx('hash_past', 1534, 80, report=10, **ALL)
rx('hash_short', 1534, 33, report=0, payload=b'\xaa' * 13)
rx('hash_csum', 1534, 80, flags=NEEDS_CSUM, csum_start=44, csum_offset=14,
   report=5, **ALL)


def write(target, seeds):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    # seeds of an older input layout would only mislead the fuzzer
    for old in os.listdir(d):
        if old not in seeds:
            os.remove(os.path.join(d, old))
    for name, data in seeds.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)


write('fuzz_vring', VRING)
write('fuzz_rxhdr', RXHDR)
