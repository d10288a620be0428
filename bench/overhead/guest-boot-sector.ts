// A 512-byte boot sector: the QEMU guests' whole operating system. It enters 32-bit protected
// mode (real mode is emulated instruction by instruction by KVM where the CPU lacks
// "unrestricted guest", e.g. nested, which would measure KVM's emulator, not the guest), writes
// 'S' to the second serial port (the BIOS writes to the first), runs the fixed CPU-bound loop of
// spin.c (imul, add, dec, jnz on 32-bit registers) `iterations` times, writes 'D', then halts
// with interrupts off: an idle guest that takes no timer ticks. Hand-assembled, so the
// benchmark needs no assembler or OS image.

const LOAD_ADDRESS = 0x7c00;

export function bootSector(iterations: number): Buffer {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 0xffffffff) throw new RangeError('iterations: 1 … 2^32-1');
  const u16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
  const u32 = (v: number) => [...u16(v & 0xffff), ...u16(v >>> 16)];
  const GDT = 60;
  const GDTR = 76;
  const code = [
    0xfa, //                            0: cli
    0x31,
    0xc0,
    0x8e,
    0xd8, //          1: xor ax, ax; mov ds, ax
    0x0f,
    0x01,
    0x16,
    ...u16(LOAD_ADDRESS + GDTR), // 5: lgdt [gdtr]
    0x0f,
    0x20,
    0xc0, //               10: mov eax, cr0
    0x0c,
    0x01, //                     13: or al, 1 (PE)
    0x0f,
    0x22,
    0xc0, //               15: mov cr0, eax
    0xea,
    ...u16(LOAD_ADDRESS + 23),
    0x08,
    0x00, // 18: jmp 0x08:protected
    0x66,
    0xba,
    0xf8,
    0x02, //         23: protected: mov dx, 0x2f8 (COM2)
    0xb0,
    0x53,
    0xee, //               27: mov al, 'S'; out dx, al
    0xb9,
    ...u32(iterations), //       30: mov ecx, iterations
    0xb8,
    ...u32(1), //                35: mov eax, 1
    0x69,
    0xc0,
    ...u32(1103515245), // 40: loop: imul eax, eax, 1103515245
    0x05,
    ...u32(12345), //            46: add eax, 12345
    0x49, //                           51: dec ecx
    0x75,
    0xf2, //                     52: jnz loop
    0xb0,
    0x44,
    0xee, //               54: mov al, 'D'; out dx, al
    0xf4, //                           57: halt: hlt
    0xeb,
    0xfd, //                     58: jmp halt
    ...new Array<number>(8).fill(0), // 60: GDT: null descriptor
    0xff,
    0xff,
    0x00,
    0x00,
    0x00,
    0x9a,
    0xcf,
    0x00, // 68: flat 4 GiB 32-bit code segment
    ...u16(15),
    ...u32(LOAD_ADDRESS + GDT), //       76: GDTR: limit, base
  ];
  const sector = Buffer.alloc(512);
  Buffer.from(code).copy(sector);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}
