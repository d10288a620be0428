// Xen's per-guest overhead as Xen documents it: NOT measured by virtfleet (no Xen host here).
// Source: xen-project/xen, tools/libxl/libxl_utils.c, libxl_get_required_shadow_memory():
// "256 pages (1MB) per vcpu, plus 1 page per MiB of RAM for the P2M map, plus 1 page per MiB of
// RAM to shadow the resident processes" = 1 MiB per vCPU + 8 KiB per guest MiB, reserved by the
// hypervisor for every guest libxl builds; plus libxl's default 8 MiB of video RAM for HVM
// guests (b_info->video_memkb). dom0's own memory (dom0_mem) is a per-host reservation, not a
// per-guest charge: leave it out of the host's declared memory.
import type { TechniqueOverhead } from './overhead-model.js';

export const XEN_DOCUMENTED: TechniqueOverhead = {
  memory: { fixedMiB: 8, perVcpuMiB: 1, perGuestMiB: 8 / 1024 },
  idleMillicores: null,
  cpuSlowdown: null,
  startMs: null,
  source: 'documented',
  note: "not measured: libxl_get_required_shadow_memory() (1 MiB per vCPU + 8 KiB per guest MiB) and libxl's default 8 MiB HVM video RAM; dom0 is a per-host reservation",
};
