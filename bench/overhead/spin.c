/* The fixed CPU-bound workload of bench/overhead.bench.ts, on the host and in a container: the same
 * register-only loop (imul, add, dec, jnz) as the QEMU guests' boot sector (guest-boot-sector.ts).
 * usage: spin ITERATIONS RESULT_FILE  -> writes "CPU_NS WALL_NS RESULT" to RESULT_FILE: the CPU time
 * the loop took (what the benchmark compares: immune to other load on the machine), its wall time. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  uint32_t n = (uint32_t)strtoul(argv[1], 0, 10), a = 1;
  struct timespec t0, t1, c0, c1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  __asm__ volatile("1: imull $1103515245, %%eax, %%eax\n\taddl $12345, %%eax\n\tdecl %%ecx\n\tjnz 1b"
                   : "+a"(a), "+c"(n));
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  FILE *f = fopen(argv[2], "w");
  if (!f) return 1;
  fprintf(f, "%lld %lld %u\n", (long long)(c1.tv_sec - c0.tv_sec) * 1000000000LL + (c1.tv_nsec - c0.tv_nsec),
          (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec), a);
  return fclose(f) == 0 ? 0 : 1;
}
