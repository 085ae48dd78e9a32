#!/usr/bin/env python3
"""Writes the binary seed corpus of every fuzz target into OUTDIR/<target>/.

The tree keeps only text seeds (tests/fuzz/corpus/); instruction streams, ELF files, Image
headers and the action programs of fuzz_virtq and fuzz_fdt are made here, each laid out as its
target reads its input (see the comment at the top of tests/fuzz/fuzz_<target>.c).
Usage: tests/fuzz/make-seeds.py OUTDIR
"""
import os
import struct
import sys

RAM = 0x80000000


def u8(v):
    return struct.pack("<B", v)


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def u64(v):
    return struct.pack("<Q", v)


def words(*ws):
    return b"".join(u32(w) for w in ws)


# Instruction words, assembled by hand (fields in the comments).
ADDI_A0_5 = 0x00500513  # addi a0,zero,5
ADDI_A0_10 = 0x00A00513  # addi a0,zero,10
ADDI_A0_M1 = 0xFFF50513  # addi a0,a0,-1
BNE_A0_BACK4 = 0xFE051EE3  # bne a0,zero,-4
ADD = 0x00B50633  # add a2,a0,a1
MUL = 0x02B50533  # mul a0,a0,a1
DIV = 0x02B54533  # div a0,a0,a1
SD = 0x0062B023  # sd t1,0(t0)
LB = 0x00028503  # lb a0,0(t0)
JAL = 0x00C000EF  # jal ra,12
JALR = 0x00008067  # jalr zero,0(ra)
AMOADD_W = 0x00B6252F  # amoadd.w a0,a1,(a2)
LR_D = 0x1005352F  # lr.d a0,(a0)
FADD_D = 0x02C5F553  # fadd.d fa0,fa1,fa2 (dynamic rounding)
LUI_T0_1 = 0x000012B7  # lui t0,1
SRLI_T0_1 = 0x0012D293  # srli t0,t0,1: 0x800, MPP = S
CSRW_MSTATUS_T0 = 0x30029073  # csrrw zero,mstatus,t0
CSRW_SATP_T0 = 0x18029073  # csrrw zero,satp,t0
AUIPC_T1 = 0x00000317  # auipc t1,0
ADDI_T1_16 = 0x01030313  # addi t1,t1,16
CSRW_MEPC_T1 = 0x34131073  # csrrw zero,mepc,t1
MRET = 0x30200073
ECALL = 0x00000073
WFI = 0x10500073
FENCE_I = 0x0000100F
SFENCE_VMA = 0x12000073
C_LI_A0_5 = 0x4515  # c.li a0,5
C_J_BACK = 0xBFF5  # c.j -4
C_RET = 0x8082  # c.jr ra


def rv_decode_seeds():
    # priv index (2: M), mstatus, frm, pc, then the code
    def header(priv, mstatus):
        return u8(priv) + u64(mstatus) + u8(0) + u64(RAM)

    fs_initial = 1 << 13
    return {
        "alu": header(2, fs_initial) + words(ADDI_A0_5, ADD, MUL, DIV, BNE_A0_BACK4),
        "memory": header(1, fs_initial) + words(SD, LB, AMOADD_W, LR_D, JALR),
        "system": header(2, 0) + words(CSRW_MSTATUS_T0, FENCE_I, SFENCE_VMA, MRET),
        "fp": header(0, fs_initial) + words(FADD_D, ECALL),
        "compressed": header(2, fs_initial) + u16(C_LI_A0_5) + u16(C_RET) + u16(C_J_BACK),
    }


def rv_exec_seeds():
    # the trap vector's offset in words, then the code at 0x80000000
    return {
        "loop": u8(8) + words(ADDI_A0_10, ADDI_A0_M1, BNE_A0_BACK4, WFI),
        "mret-to-s": u8(16)
        + words(LUI_T0_1, SRLI_T0_1, CSRW_MSTATUS_T0, AUIPC_T1, ADDI_T1_16, CSRW_MEPC_T1, MRET)
        + words(0, ECALL, WFI),
        "satp-sfence": u8(0)
        + words(LUI_T0_1, CSRW_SATP_T0, SFENCE_VMA, FENCE_I, SD, LB, AMOADD_W, JAL, WFI),
        "fp-compressed": u8(4) + words(CSRW_MSTATUS_T0, FADD_D) + u16(C_LI_A0_5) + u16(C_J_BACK),
    }


# fuzz_virtq: an action is one byte, action = byte % 9 and device = (byte >> 4) % 4.
POKE, DESC, REG_WRITE, REG_READ, BRING_UP, NOTIFY, NET_FRAME, CONSOLE_INPUT, POLL = range(9)
BLK, NET, CONSOLE, RNG = range(4)
F_NEXT, F_WRITE = 1, 2


def action(act, dev=0):
    for b in range(256):
        if b % 9 == act and (b >> 4) % 4 == dev:
            return u8(b)
    raise ValueError((act, dev))


def ram_addr(offset):
    return u8(0) + u16(offset)


def bring_up(dev, nqueues, features=1 << 32, size=8):
    out = action(BRING_UP, dev) + u64(features) + u8(nqueues)
    for q in range(nqueues):
        base = 0x1000 * q
        out += ram_addr(base) + ram_addr(base + 0x100) + ram_addr(base + 0x200) + u16(size)
    return out


def poke(offset, data):
    return action(POKE) + u16(offset) + u8(len(data)) + data


def descriptor(addr, length, flags, nxt):
    return u64(addr) + u32(length) + u16(flags) + u16(nxt)


def post(dev, queue, chain, notify=True):
    """A chain at descriptors 0.. of the queue, made available as avail->ring[0]."""
    base = 0x1000 * queue
    table = b"".join(
        descriptor(RAM + addr, length, flags | (F_NEXT if i + 1 < len(chain) else 0), i + 1)
        for i, (addr, length, flags) in enumerate(chain)
    )
    out = poke(base, table) + poke(base + 0x100, u16(0) + u16(1) + u16(0))
    if notify:
        out += action(NOTIFY, dev) + u8(queue)
    return out


def virtq_seeds():
    read_sector = u32(0) + u32(0) + u64(0)  # VIRTIO_BLK_T_IN, sector 0
    write_sector = u32(1) + u32(0) + u64(1)  # VIRTIO_BLK_T_OUT, sector 1
    get_id = u32(8) + u32(0) + u64(0)
    frame = b"\xff" * 6 + b"\x52\x54\x00\x12\x34\x56" + b"\x08\x00" + bytes(46)
    return {
        "blk-read": bring_up(BLK, 1)
        + poke(0x4000, read_sector)
        + post(BLK, 0, [(0x4000, 16, 0), (0x5000, 512, F_WRITE), (0x6000, 1, F_WRITE)]),
        "blk-write": bring_up(BLK, 1)
        + poke(0x4000, write_sector)
        + post(BLK, 0, [(0x4000, 16, 0), (0x5000, 512, 0), (0x6000, 1, F_WRITE)]),
        "blk-get-id": bring_up(BLK, 1)
        + poke(0x4000, get_id)
        + post(BLK, 0, [(0x4000, 16, 0), (0x5000, 20, F_WRITE), (0x6000, 1, F_WRITE)]),
        "net-tx": bring_up(NET, 2)
        + poke(0x4000, bytes(12) + frame)
        + post(NET, 1, [(0x4000, 12, 0), (0x400C, len(frame), 0)]),
        "net-rx": bring_up(NET, 2)
        + post(NET, 0, [(0x4000, 1526, F_WRITE)])
        + action(NET_FRAME)
        + u16(len(frame))
        + frame,
        "console": bring_up(CONSOLE, 2)
        + poke(0x4000, b"hello\n")
        + post(CONSOLE, 1, [(0x4000, 6, 0)])
        + post(CONSOLE, 0, [(0x5000, 64, F_WRITE)])
        + action(CONSOLE_INPUT)
        + u8(3)
        + b"ls\n",
        "rng": bring_up(RNG, 1) + post(RNG, 0, [(0x4000, 64, F_WRITE)]),
        "registers": action(REG_READ, BLK)
        + u16(0x100)
        + u8(2)
        + action(REG_WRITE, NET)
        + u16(0x070)
        + u8(2)
        + u64(1)
        + action(POLL),
    }


def elf_riscv():
    code = words(ADDI_A0_5, WFI, 0, 0)
    strtab = b"\0tohost\0"
    code_off, str_off, sym_off = 64 + 56, 64 + 56 + len(code), 64 + 56 + len(code) + len(strtab)
    symtab = bytes(24) + u32(1) + u8(0x11) + u8(0) + u16(1) + u64(RAM + 8) + u64(8)
    sh_off = sym_off + len(symtab)
    ehdr = (
        b"\x7fELF\x02\x01\x01" + bytes(9)
        + u16(2) + u16(243) + u32(1) + u64(RAM) + u64(64) + u64(sh_off)
        + u32(0) + u16(64) + u16(56) + u16(1) + u16(64) + u16(3) + u16(0)
    )
    phdr = (
        u32(1) + u32(5) + u64(code_off) + u64(RAM) + u64(RAM) + u64(len(code)) + u64(0x100)
        + u64(8)
    )

    def shdr(kind, offset, size, link, entsize):
        return (
            u32(0) + u32(kind) + u64(0) + u64(0) + u64(offset) + u64(size) + u32(link) + u32(0)
            + u64(1) + u64(entsize)
        )

    sections = (
        bytes(64) + shdr(2, sym_off, len(symtab), 2, 24) + shdr(3, str_off, len(strtab), 0, 0)
    )
    return ehdr + phdr + code + strtab + symtab + sections


def elf_seeds():
    image = elf_riscv()
    return {"riscv-exec": image, "truncated": image[:100]}


def image_header(arch, text_offset, image_size):
    if arch == "riscv64":
        return (
            words(0x0040006F, 0) + u64(text_offset) + u64(image_size) + u64(0)
            + u32(2) + u32(0) + u64(0) + b"RISCV\0\0\0" + b"RSC\x05" + u32(0)
        )
    return (
        words(0x14000010, 0) + u64(text_offset) + u64(image_size) + u64(0xA) + bytes(24)
        + b"ARM\x64" + u32(0)
    )


def linux_seeds():
    # how (bit 0: arm64, bit 1: the RAM that exists, bit 2: initrd placed automatically), the
    # request (RAM base and size, initrd size and address, DTB reservation), DTB size, Image
    def request(how, initrd_size, initrd_addr, dtb_max):
        return (
            u8(how) + u64(0) + u64(0) + u64(initrd_size) + u64(initrd_addr) + u64(dtb_max)
            + u16(512)
        )

    code = bytes(64)
    return {
        "riscv-auto-initrd": request(6, 0x1000, 0, 0x10000)
        + image_header("riscv64", 0x200000, 0x100000) + code,
        "riscv-fixed-initrd": request(2, 0x1000, RAM + 0x400000, 0x10000)
        + image_header("riscv64", 0x200000, 0x100000) + code,
        "arm64": request(7, 0x2000, 0, 0x200000) + image_header("arm64", 0, 0x80000) + code,
    }


# fuzz_fdt: an op is one byte: op % 5 is begin node (bit 4: with a unit address), end node,
# new phandle, or a property (op % 5 of 3 or 4) of kind (op >> 3) % 7.
EMPTY, U32, U64, CELLS, STRING, STRINGS, REG = range(7)


def fdt_op(kind):
    for b in range(256):
        if b % 5 in (3, 4) and (b >> 3) % 7 == kind:
            return u8(b)
    raise ValueError(kind)


def fdt_string(s):
    return u8(len(s)) + s


def fdt_seeds():
    begin_unit, begin, end, phandle = u8(0x32), u8(0), u8(1), u8(2)
    virt_like = (
        u16(4096)
        + fdt_op(U32) + u32(2)
        + fdt_op(STRING) + fdt_string(b"riscv-virtio")
        + begin + fdt_op(U32) + u32(1) + fdt_op(EMPTY)
        + begin_unit + u64(0) + fdt_op(STRINGS) + u8(2) + fdt_string(b"riscv") + fdt_string(b"cpu")
        + fdt_op(CELLS) + u8(2) + u32(0x8000) + u32(1) + end + end
        + phandle
        + begin_unit + u64(RAM) + fdt_op(REG) + u8(0x22) + u8(1) + u64(RAM) + u64(1 << 29) + end
        + begin + fdt_op(U64) + u64(RAM + 0x400000) + end
        + u8(1)
    )
    return {"virt-like": virt_like, "too-small": u16(64) + virt_like[2:]}


def virt_dtb_seeds():
    # harts - 1, MiB of RAM above 16, flags (bit 0: virtio console, bit 1: rng, bits 2-3: NICs,
    # bit 4: an initrd), each NIC's hub, the initrd's size, then the command line
    return {
        "linux": u8(0) + u8(16) + u8(0x17) + u8(0) + u16(0x1000) + b"console=hvc0 root=/dev/vda",
        "smp": u8(7) + u8(48) + u8(0x08) + u8(1) + u8(2),
        "too-many-harts": u8(8) + u8(0) + u8(0) + b"quiet",
    }


def dtb(nodes):
    """A flattened device tree (big-endian, version 17) of nodes: [(name, [(prop, bytes)],
    children)], the root's name empty."""
    strings = b""
    offsets = {}

    def name_offset(name):
        nonlocal strings
        if name not in offsets:
            offsets[name] = len(strings)
            strings += name.encode() + b"\0"
        return offsets[name]

    def pad(b):
        return b + b"\0" * (-len(b) % 4)

    def node(name, props, children):
        out = struct.pack(">I", 1) + pad(name.encode() + b"\0")
        for prop, value in props:
            out += struct.pack(">III", 3, len(value), name_offset(prop)) + pad(value)
        for child in children:
            out += node(*child)
        return out + struct.pack(">I", 2)

    structure = b"".join(node(*n) for n in nodes) + struct.pack(">I", 9)
    reserve = b"\0" * 16
    off_rsv = 40
    off_struct = off_rsv + len(reserve)
    off_strings = off_struct + len(structure)
    total = off_strings + len(strings)
    header = struct.pack(">10I", 0xD00DFEED, total, off_struct, off_strings, off_rsv, 17, 16, 0,
                         len(strings), len(structure))
    return header + reserve + structure + strings


def be32(*vs):
    return b"".join(struct.pack(">I", v) for v in vs)


def be64(v):
    return struct.pack(">Q", v)


def fdt_chosen_seeds():
    # flags (bit 0: a command line, bit 1: an initrd), room, initrd start and length, command
    # line length and bytes, then the tree
    memory = ("memory@80000000", [("device_type", b"memory\0"),
                                  ("reg", be32(0, RAM, 0, 0x20000000))], [])
    dumped = dtb([("", [("#address-cells", be32(2)), ("#size-cells", be32(2)),
                        ("model", b"riscv-virtio,qemu\0")],
                   [("chosen", [("bootargs", b"console=ttyS0 pvtest=old\0"),
                                ("linux,initrd-start", be64(RAM + 0x8000000)),
                                ("linux,initrd-end", be64(RAM + 0x8100000))], []),
                    memory])])
    bare = dtb([("", [("#address-cells", be32(2)), ("#size-cells", be32(2))], [memory])])
    twice = dtb([("", [], [("chosen", [("bootargs", b"a\0"), ("bootargs", b"b\0")], [])])])

    def request(flags, room, start, length, cmdline, tree):
        return u8(flags) + u16(room) + u64(start) + u32(length) + u8(len(cmdline)) + cmdline + tree

    return {
        "dumped": request(3, 512, RAM + 0x9000000, 0x2000, b"console=ttyS0 pvtest=new", dumped),
        "no-chosen": request(1, 256, 0, 0, b"quiet", bare),
        "stale-initrd": request(0, 64, 0, 0, b"", dumped),
        "no-room": request(3, 0, RAM, 0x1000, b"x" * 200, dumped),
        "twice": request(1, 64, 0, 0, b"y", twice),
    }


def main():
    out = sys.argv[1]
    targets = {
        "fuzz_rv_decode": rv_decode_seeds(),
        "fuzz_rv_exec": rv_exec_seeds(),
        "fuzz_virtq": virtq_seeds(),
        "fuzz_elf": elf_seeds(),
        "fuzz_linux_image": linux_seeds(),
        "fuzz_fdt": fdt_seeds(),
        "fuzz_virt_dtb": virt_dtb_seeds(),
        "fuzz_fdt_chosen": fdt_chosen_seeds(),
    }
    for target, seeds in targets.items():
        os.makedirs(os.path.join(out, target), exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(out, target, name), "wb") as f:
                f.write(data)


main()
