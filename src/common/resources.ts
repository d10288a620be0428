// Capacity arithmetic shared by placement and consolidation. Pure: no Nest, no I/O.

/** Resources a guest asks for, or a host offers. Memory in MiB, disk in GiB, all integers. */
export interface Resources {
  vcpus: number;
  memoryMiB: number;
  diskGiB: number;
}

/** Per-host overcommit: usable = floor(physical × ratio). 1.0 means no overcommit. */
export interface OvercommitRatios {
  cpu: number;
  memory: number;
  disk: number;
}

export const RESOURCE_DIMENSIONS = ['vcpus', 'memoryMiB', 'diskGiB'] as const;
export type ResourceDimension = (typeof RESOURCE_DIMENSIONS)[number];

export const ZERO_RESOURCES: Readonly<Resources> = Object.freeze({ vcpus: 0, memoryMiB: 0, diskGiB: 0 });

export const NO_OVERCOMMIT: Readonly<OvercommitRatios> = Object.freeze({ cpu: 1, memory: 1, disk: 1 });

/**
 * What a host may hand out. Rounded down so that a ratio never grants a fraction of a unit
 * (16 vCPUs × 1.5 = 24; 3 vCPUs × 1.5 = 4, not 4.5).
 */
export function usableCapacity(physical: Resources, ratios: OvercommitRatios): Resources {
  return {
    vcpus: Math.floor(physical.vcpus * ratios.cpu + 1e-9),
    memoryMiB: Math.floor(physical.memoryMiB * ratios.memory + 1e-9),
    diskGiB: Math.floor(physical.diskGiB * ratios.disk + 1e-9),
  };
}

/** A host row's capacity columns, as the Prisma model names them (placement's SQL selects them under these names). */
export interface HostCapacityColumns {
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  cpuRatio: number;
  memoryRatio: number;
  diskRatio: number;
  foreignVcpus: number;
  foreignMemoryMiB: number;
}

/** What a host offers and what others than virtfleet take there. */
export interface HostCapacity {
  physical: Resources;
  ratios: OvercommitRatios;
  /** `usableCapacity(physical, ratios)`. */
  usable: Resources;
  /** What guests virtfleet did not define take (their disks are not observed: 0). */
  foreign: Resources;
}

/** A host row's capacity: the one reading of its capacity, ratio and foreign-usage columns. */
export function hostCapacityOf(h: HostCapacityColumns): HostCapacity {
  const physical = { vcpus: h.cpus, memoryMiB: h.memoryMiB, diskGiB: h.diskGiB };
  const ratios = { cpu: h.cpuRatio, memory: h.memoryRatio, disk: h.diskRatio };
  return {
    physical,
    ratios,
    usable: usableCapacity(physical, ratios),
    foreign: { vcpus: h.foreignVcpus, memoryMiB: h.foreignMemoryMiB, diskGiB: 0 },
  };
}

export function addResources(a: Resources, b: Resources): Resources {
  return { vcpus: a.vcpus + b.vcpus, memoryMiB: a.memoryMiB + b.memoryMiB, diskGiB: a.diskGiB + b.diskGiB };
}

export function subtractResources(a: Resources, b: Resources): Resources {
  return { vcpus: a.vcpus - b.vcpus, memoryMiB: a.memoryMiB - b.memoryMiB, diskGiB: a.diskGiB - b.diskGiB };
}

/** True when `request` fits in what is left of `usable` after `used`. An exact fit fits. */
export function fitsWithin(request: Resources, used: Resources, usable: Resources): boolean {
  return (
    used.vcpus + request.vcpus <= usable.vcpus &&
    used.memoryMiB + request.memoryMiB <= usable.memoryMiB &&
    used.diskGiB + request.diskGiB <= usable.diskGiB
  );
}

/** The dimensions in which `request` does not fit; empty when it fits. */
export function shortDimensions(request: Resources, used: Resources, usable: Resources): ResourceDimension[] {
  return RESOURCE_DIMENSIONS.filter((d) => used[d] + request[d] > usable[d]);
}
