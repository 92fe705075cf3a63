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
    FLAGS, COMPLETE, RESET = range(13)


def cfg(order, event_idx):
    return bytes([order | (8 if event_idx else 0)])


def add(n, out, length):
    return bytes([ADD, n | out << 3, length])


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
}

RXHDR = {}


def rx(name, posted, used_len, flags=0, gso=0, nbuf=1, payload=b'\xaa' * 60):
    hdr = struct.pack('<BBHHHHH', flags, gso, 0, 0, 0, 0, nbuf)
    RXHDR[name] = struct.pack('<II', posted, used_len) + hdr + payload


rx('good', 1526, 72)
rx('data_valid', 1526, 72, flags=2, nbuf=0)
rx('shortest', 1526, 26, payload=b'\xaa' * 14)
rx('too_short', 1526, 25, payload=b'\xaa' * 13)
rx('too_long', 64, 72)
rx('gso', 1526, 72, gso=1)
rx('bad_flags', 1526, 72, flags=0x10)
rx('num_buffers', 1526, 72, nbuf=2)


def write(target, seeds):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)


write('fuzz_vring', VRING)
write('fuzz_rxhdr', RXHDR)
