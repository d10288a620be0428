// One working example per JSON request body, keyed by the body's schema name, written into the
// OpenAPI document (applyApiConventions). Without one, Swagger UI synthesises a sample from the
// schema (4,096 vCPUs, a random hostId) that the server refuses. Each is typed against its DTO,
// and test/openapi-examples.e2e-spec.ts sends every one to the real app and expects a 2xx.
import type { CreateApiKeyDto } from '../auth/dto/api-key.dto.js';
import type { CreatePlanDto } from '../consolidation/dto/plan.dto.js';
import type {
  AddHostEndpointDto,
  DrainHostDto,
  MaintenanceDto,
  RegisterHostDto,
  RegisterHostsDto,
  UpdateHostDto,
} from '../hosts/dto/host.dto.js';
import type { CreateInstanceDto, MigrateDto, StopDto, UpdateInstanceDto } from '../instances/dto/instance.dto.js';
import type { PlacementPreviewDto } from '../placement/dto/placement-preview.dto.js';
import type { SweepRequestDto } from '../reconciler/dto/sweep.dto.js';
import type { AttachVolumeDto, CreateVolumeDto } from '../volumes/dto/volume.dto.js';
import type { CreateImageDto } from '../images/dto/image.dto.js';

export const REQUEST_EXAMPLES: Readonly<Record<string, object>> = {
  CreateApiKeyDto: { name: 'ci-deployer', role: 'operator' } satisfies CreateApiKeyDto,
  // libvirt's built-in test driver: answers on every libvirt installation, so "Try it out" works.
  RegisterHostDto: {
    name: 'example-host',
    uri: 'test:///default',
    driverKind: 'qemu-kvm',
    diskGiB: 100,
    labels: { rack: 'r1' },
    traits: ['ssd'],
  } satisfies RegisterHostDto,
  // Answered 200 with one result per host; the example host's machine, once registered by the
  // example above, comes back as that host's 409 (one machine, one host) beside any others' 201.
  RegisterHostsDto: {
    hosts: [{ name: 'example-host-2', uri: 'test:///default', driverKind: 'xen', diskGiB: 100, labels: { rack: 'r2' } }],
  } satisfies RegisterHostsDto,
  // The example host's libvirt (the test driver) serves containers too: one machine, two drivers.
  AddHostEndpointDto: { uri: 'test:///default', driverKind: 'lxc' } satisfies AddHostEndpointDto,
  UpdateHostDto: { cpuRatio: 4, memoryRatio: 1, labels: { rack: 'r1' } } satisfies UpdateHostDto,
  MaintenanceDto: { enabled: false } satisfies MaintenanceDto,
  DrainHostDto: { policy: 'migrate', allowDowntime: true } satisfies DrainHostDto,
  CreateInstanceDto: {
    name: 'example-vm',
    driverKind: 'qemu-kvm',
    vcpus: 1,
    memoryMiB: 256,
    boot: { guestType: 'hvm' },
    labels: { app: 'example' },
    // Matches RegisterHostDto's example; also what lets placement choose a simulated (test:) host.
    requiredHostLabels: { rack: 'r1' },
  } satisfies CreateInstanceDto,
  UpdateInstanceDto: { labels: { app: 'example', tier: 'web' }, pinned: false } satisfies UpdateInstanceDto,
  StopDto: { timeoutSeconds: 60 } satisfies StopDto,
  MigrateDto: { mode: 'auto', allowDowntime: true } satisfies MigrateDto,
  SweepRequestDto: {} satisfies SweepRequestDto,
  CreatePlanDto: { allowColdMigration: false, maxUtilisation: 0.8 } satisfies CreatePlanDto,
  // An empty raw disk (registered as an image by CreateImageDto's example). `default-pool` is the
  // pool of libvirt's test driver (the example host); on a real host name a pool of STORAGE_POOLS, usually `default`.
  CreateVolumeDto: {
    pool: 'default-pool',
    name: 'example-disk.img',
    kind: 'file',
    format: 'raw',
    capacityGiB: 1,
  } satisfies CreateVolumeDto,
  // The file volume of CreateVolumeDto's example (any managed raw or qcow2 file volume of the host).
  CreateImageDto: { name: 'example-image', pool: 'default-pool', volume: 'example-disk.img', osFamily: 'linux' } satisfies CreateImageDto,
  // A new 1 GiB data disk for the instance, made in its host's pool and attached (a free volume: `{volumeId}`).
  AttachVolumeDto: { pool: 'default-pool', name: 'example-data.img', format: 'raw', capacityGiB: 1 } satisfies AttachVolumeDto,
  PlacementPreviewDto: {
    driverKind: 'qemu-kvm',
    guestType: 'hvm',
    vcpus: 1,
    memoryMiB: 256,
    requiredHostLabels: { rack: 'r1' },
    limit: 5,
    compareDriverKinds: ['qemu-kvm', 'lxc'],
  } satisfies PlacementPreviewDto,
};
