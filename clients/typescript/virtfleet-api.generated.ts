// GENERATED FILE: do not edit by hand.
// Written by `node scripts/generate-client.mjs` (openapi-typescript) from openapi/openapi.json;
// `node scripts/generate-client.mjs --check` (and test/client.e2e-spec.ts) fails when it is stale.

export interface paths {
  "/metrics": {
    /** This process's HTTP answers and placement claims, and the fleet's hosts, capacity and operations. */
    get: operations["Metrics_scrape"];
  };
  "/api/v1/events": {
    /** Events, filtered: newest first for browsing, or oldest first (`order=asc`, the default with `after`) to follow on from a point. */
    get: operations["Events_list"];
  };
  "/api/v1/events/stream": {
    /**
     * Server-sent events: every new event matching the filter, as it is written (by any replica or
     * process). An idle stream gets a comment line (`: heartbeat`) every
     * EVENT_STREAM_HEARTBEAT_SECONDS. One API key may hold EVENT_STREAMS_PER_KEY streams, the
     * process EVENT_STREAMS_MAX; past either, 429.
     */
    get: operations["Events_stream"];
  };
  "/api/v1/api-keys": {
    /** List API keys (never their secrets). */
    get: operations["ApiKeys_list"];
    /** Create an API key; the secret is in this answer only. */
    post: operations["ApiKeys_create"];
  };
  "/api/v1/api-keys/{id}": {
    /** Revoke an API key; it stops working within seconds. */
    delete: operations["ApiKeys_revoke"];
  };
  "/api/v1/operations": {
    /** Operations, newest first, filtered by status, kind and target. */
    get: operations["Operations_list"];
  };
  "/api/v1/operations/{id}/cancel": {
    /**
     * Cancel an operation where its work can be taken back: a pending one (it never starts; a
     * pending create leaves nothing behind) or a running live migration (libvirt's job is aborted,
     * the guest stays on the source). It ends `aborted`; poll it. Anything else, and an operation
     * that has ended, is 409 with the reason.
     */
    post: operations["Operations_cancel"];
  };
  "/api/v1/operations/{id}": {
    /** An operation's status and progress; `?wait=N` holds the answer up to N seconds until it ends. */
    get: operations["Operations_get"];
  };
  "/health/live": {
    /** The process is up. No dependency is consulted. */
    get: operations["Health_live"];
  };
  "/health/ready": {
    /**
     * PostgreSQL answers, and at least one registered host's hypervisor connection answers (all
     * are probed, offline ones too; unreachable ones do not make the API unready). Without an API
     * key the answer gives each check's status only; with a viewer key (or higher) it lists every
     * host by name with its error text.
     */
    get: operations["Health_ready"];
  };
  "/api/v1/hosts": {
    /** List hosts with capacity, allocation and utilisation. */
    get: operations["Hosts_list"];
    /**
     * Register a physical server, described by `connection` (virtfleet builds the libvirt URI; a
     * `uri` is accepted only when it is exactly that URI). It is probed first: a connection outside
     * the allow-lists is refused with 400 before libvirt is asked, an unreachable host with 422.
     * A machine is registered once, whatever URI reaches it (libvirt's host UUID identifies it):
     * 409 naming the existing host when it is registered already; when only for another driver,
     * the 409 says to add this driver as an endpoint of that host (POST /hosts/{id}/endpoints).
     */
    post: operations["Hosts_register"];
  };
  "/api/v1/hosts/bulk": {
    /**
     * Register up to 1,000 hosts in one call, each exactly as POST /api/v1/hosts would (probed,
     * refused for the same reasons), a few probes at a time. The answer is 200 with one result per
     * host in request order: 201 and the host, or the problem that host alone would have got. A
     * malformed body (not the hosts' reachability) is a 400 and registers nothing.
     */
    post: operations["Hosts_registerMany"];
  };
  "/api/v1/hosts/{id}": {
    /** One host with capacity, allocation and utilisation. */
    get: operations["Hosts_get"];
    /** Remove a host; refused with 409 while it holds instances. */
    delete: operations["Hosts_remove"];
    /** Change ratios, disk capacity, labels or operator traits. */
    patch: operations["Hosts_update"];
  };
  "/api/v1/hosts/{id}/maintenance": {
    /** Switch maintenance on (no new placements) or off. */
    post: operations["Hosts_maintenance"];
  };
  "/api/v1/hosts/{id}/drain": {
    /** Drain: no new placements, and every instance migrated away (or stopped, per policy) as operations. */
    post: operations["Hosts_drain"];
  };
  "/api/v1/hosts/{id}/endpoints": {
    /**
     * Add another driver of the host's libvirt (e.g. LXC beside QEMU): probed first; 422 when the
     * connection reaches another machine, 409 when the host has that driver already. The host's
     * capacity and allocations stay one; its traits gain the driver's.
     */
    post: operations["Hosts_addEndpoint"];
  };
  "/api/v1/hosts/{id}/endpoints/{endpointId}": {
    /** Remove one driver endpoint; 409 while instances of that driver are on the host, or when it is the last one. */
    delete: operations["Hosts_removeEndpoint"];
  };
  "/api/v1/hosts/{hostId}/volumes": {
    /** The host's managed volumes. */
    get: operations["Volumes_list"];
    /**
     * Create an empty managed volume in an allowed storage pool of the host (operator), or adopt an
     * existing libvirt volume of such a pool as managed (`adopt: true`, admin only, audited). Guest
     * storage paths are accepted only when they are managed volumes of the guest's host.
     */
    post: operations["Volumes_create"];
  };
  "/api/v1/hosts/{hostId}/volumes/{volumeId}": {
    /** One managed volume. */
    get: operations["Volumes_get"];
    /**
     * Delete a managed volume; 409 while an instance on the host uses it, or for a directory volume
     * that is not empty (libvirt removes only empty ones). A created volume is deleted on the host
     * with its data; an adopted one is released (kept on the host, no longer managed).
     */
    delete: operations["Volumes_remove"];
  };
  "/api/v1/instances/{id}/volumes": {
    /**
     * Attach a data disk: a managed file volume (raw or qcow2) of the instance's host (`volumeId`),
     * or a new one created first in a pool of that host (`pool`, `name`, `capacityGiB`, `format`;
     * deleted again when the attach fails, e.g. a pool too full: the operation fails with 422). The
     * definition is rebuilt from the stored spec with the disk added. A running guest sees it from
     * its next start. 409 while the volume is attached elsewhere, is an image or a root disk, or the
     * instance is busy; 422 for a volume of another host, a directory, or a guest type without disks.
     */
    post: operations["VolumeAttachments_attach"];
  };
  "/api/v1/instances/{id}/volumes/{volumeId}": {
    /** Detach a data volume (the guest must not be running); the volume stays, managed and free. */
    delete: operations["VolumeAttachments_detach"];
  };
  "/api/v1/hosts/{hostId}/images": {
    /**
     * Register a managed file volume of the host as an image (operator). The host's libvirt says what it is:
     * 422 when it is not raw or qcow2, has a backing store, or is not the `format` claimed.
     */
    post: operations["Images_create"];
  };
  "/api/v1/images": {
    /** The image catalogue. */
    get: operations["Images_list"];
  };
  "/api/v1/images/{imageId}": {
    /** One image. */
    get: operations["Images_get"];
    /** Unregister an image; 409 while an instance's root disk is an overlay of it. Its volume stays managed. */
    delete: operations["Images_remove"];
  };
  "/api/v1/instances": {
    /** List instances with desired, observed and task state. */
    get: operations["Instances_list"];
    /** Create an instance: placement chooses a host (or `hostId` pins one); defining and starting run as an operation. */
    post: operations["Instances_create"];
  };
  "/api/v1/instances/{id}": {
    /** One instance with desired, observed and task state. */
    get: operations["Instances_get"];
    /** Delete: force-stops and undefines the guest, frees its allocation; deletes its root disk and (unless `keepVolumes=true`) its attached data volumes. */
    delete: operations["Instances_remove"];
    /** Resize (shut-off instances only), relabel, pin. */
    patch: operations["Instances_update"];
  };
  "/api/v1/instances/{id}/start": {
    /** Start a shut-off instance. */
    post: operations["Instances_start"];
  };
  "/api/v1/instances/{id}/stop": {
    /** Graceful shutdown; the operation fails (and says so) when the guest does not stop in time. */
    post: operations["Instances_stop"];
  };
  "/api/v1/instances/{id}/force-stop": {
    /** Power off at once, without asking the guest. */
    post: operations["Instances_forceStop"];
  };
  "/api/v1/instances/{id}/reboot": {
    /**
     * Restart the instance: the hypervisor stops it at once and starts it again from its
     * definition (a hard reboot; for a graceful one, stop then start). The operation succeeds only
     * when the guest was really started anew; otherwise it fails and the instance shows where the
     * guest is (e.g. shut off when it could not start again).
     */
    post: operations["Instances_reboot"];
  };
  "/api/v1/instances/{id}/suspend": {
    /** Pause a running instance; its memory stays allocated. */
    post: operations["Instances_suspend"];
  };
  "/api/v1/instances/{id}/resume": {
    /** Continue a suspended instance. */
    post: operations["Instances_resume"];
  };
  "/api/v1/instances/{id}/migrate": {
    /** Move to another host: live where the driver can and the guest runs, cold otherwise. */
    post: operations["Instances_migrate"];
  };
  "/api/v1/reconciler/sweep": {
    /** Force a reconcile sweep now (audited); answers what it found and changed. */
    post: operations["Reconciler_sweep"];
  };
  "/api/v1/consolidation/plans": {
    /** Plans, newest first. */
    get: operations["Consolidation_list"];
    /** Dry run: compute a plan over the fleet (or the given hosts) and keep it (503 plan-not-saved if the fleet changed meanwhile). Nothing moves. */
    post: operations["Consolidation_create"];
  };
  "/api/v1/consolidation/plans/{id}": {
    /** A plan with per-step status and progress. */
    get: operations["Consolidation_get"];
  };
  "/api/v1/consolidation/plans/{id}/execute": {
    /** Approve and execute a proposed plan, step by step, in the background. */
    post: operations["Consolidation_execute"];
  };
  "/api/v1/consolidation/plans/{id}/abort": {
    /** Stop an executing plan after its current step (or cancel a proposed one). */
    post: operations["Consolidation_abort"];
  };
  "/api/v1/placement/preview": {
    /** Dry run: rank the hosts for a would-be instance and explain every rejection. Nothing is claimed. */
    post: operations["Placement_preview"];
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    /** @description RFC 9457 problem details. Further members may appear as extensions (e.g. `currentState`, `currentVersion`, `rejections`). */
    ProblemDetails: {
      /**
       * @description Validation problems (400 answers), one per failed constraint: a message for the request's
       * own fields, `{path, message}` for the fields of an instance's `boot`.
       */
      errors?: (string | components["schemas"]["FieldProblem"])[];
      /**
       * @description URI naming the kind of problem: `https://virtfleet.dev/problems/<slug>` for domain errors, `about:blank` for plain HTTP ones.
       * @example https://virtfleet.dev/problems/not-found
       */
      type: string;
      /**
       * @description Short, stable summary of the kind of problem.
       * @example Resource not found
       */
      title: string;
      /**
       * @description The HTTP status code.
       * @example 404
       */
      status: number;
      /**
       * @description What went wrong with this request, for a person to read.
       * @example host 0b6f3c1e-7a8b-4c5d-9e0f-1a2b3c4d5e6f does not exist
       */
      detail?: string;
      /**
       * @description The request path that failed.
       * @example /api/v1/hosts/0b6f3c1e-7a8b-4c5d-9e0f-1a2b3c4d5e6f
       */
      instance?: string;
      /** @description The request id (also in the `X-Request-Id` header), to find the request in the logs. */
      requestId?: string;
      /** @description Seconds to wait before retrying (503 answers; also sent as `Retry-After`). */
      retryAfterSeconds?: number;
    };
    FieldProblem: {
      /** @example boot.init */
      path: string;
      /** @example must be an absolute path */
      message: string;
    };
    EventDto: {
      /** @description Monotonic id; resume a stream with `after`. */
      id: string;
      /** Format: date-time */
      at: string;
      /** @description host.registered, instance.state, drift, audit, ... */
      kind: string;
      instanceId: string | null;
      hostId: string | null;
      operationId: string | null;
      actor: string | null;
      message: string;
      data: {
        [key: string]: unknown;
      };
    };
    EventPageDto: {
      items: components["schemas"]["EventDto"][];
      /** @description Cursor of the next page (same filters and order); null on the last one. */
      nextCursor: string | null;
    };
    CreateApiKeyDto: {
      /**
       * @description Unique name, e.g. who or what uses it.
       * @example ci-deployer
       */
      name: string;
      /**
       * @description admin (everything), operator (lifecycle and consolidation), viewer (read only) or scraper (GET /metrics only, for Prometheus).
       * @enum {string}
       */
      role: "scraper" | "viewer" | "operator" | "admin";
    };
    CreatedApiKeyDto: {
      /** @description The secret: shown once, never again. */
      key: string;
      id: string;
      name: string;
      role: string;
      /** @description The key's first characters, to recognise it. */
      prefix: string;
      createdBy: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      lastUsedAt: string | null;
      /** Format: date-time */
      revokedAt: string | null;
    };
    ApiKeyDto: {
      id: string;
      name: string;
      role: string;
      /** @description The key's first characters, to recognise it. */
      prefix: string;
      createdBy: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      lastUsedAt: string | null;
      /** Format: date-time */
      revokedAt: string | null;
    };
    ApiKeyPageDto: {
      items: components["schemas"]["ApiKeyDto"][];
      /** @description Cursor of the next page; null on the last one. */
      nextCursor: string | null;
    };
    /** @enum {string} */
    OperationStatus: "pending" | "running" | "succeeded" | "failed" | "aborted";
    OperationDto: {
      status: components["schemas"]["OperationStatus"];
      id: string;
      /** @description create, start, stop, force-stop, reboot, suspend, resume, migrate, delete, ... */
      kind: string;
      targetType: string;
      targetId: string;
      /** @description 0–100. */
      progress: number;
      error: {
        [key: string]: unknown;
      } | null;
      result: {
        [key: string]: unknown;
      } | null;
      actor: string;
      requestId: string | null;
      /** Format: date-time */
      deadline: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      startedAt: string | null;
      /** Format: date-time */
      finishedAt: string | null;
    };
    OperationPageDto: {
      items: components["schemas"]["OperationDto"][];
      /** @description Cursor of the next page (same filters); null on the last one. */
      nextCursor: string | null;
    };
    HostConnectionDto: {
      /**
       * @description libvirt driver: qemu, xen or libxl (Xen), lxc, or test (libvirt's simulated hypervisor).
       * Default: the one of `driverKind` (qemu-kvm: qemu, xen: xen, lxc: lxc).
       * @enum {string}
       */
      driver?: "qemu" | "xen" | "libxl" | "lxc" | "test";
      /**
       * @description local (this machine's daemon, default socket), unix (this machine, a chosen socket), tcp, tls or ssh.
       * @enum {string}
       */
      transport: "local" | "unix" | "tcp" | "tls" | "ssh";
      /**
       * @description tcp, tls, ssh: DNS name (lower case), IPv4 or IPv6 address (without brackets).
       * @example 10.0.0.7
       */
      hostname?: string;
      /** @description tcp, tls, ssh: port, 1-65535 (default: libvirt's for the transport). */
      port?: number;
      /**
       * @description unix: the daemon's socket; must lie under a directory of HOST_SOCKET_DIRS.
       * @example /run/libvirt/libvirt-sock
       */
      socket?: string;
      /**
       * @description Not for the test driver: system (default) or, QEMU only, session.
       * @enum {string}
       */
      scope?: "system" | "session";
      /** @description test driver: a node file under SIMULATED_HOSTS_DIR; absent: test:///default. */
      nodeFile?: string;
      /** @description test:///default only: a tag so that the shared in-process test hypervisor can be registered more than once. */
      suite?: string;
    };
    RegisterHostDto: {
      /**
       * @description Unique name: lower-case letters, digits and dashes.
       * @example rack1-node07
       */
      name: string;
      /**
       * @description How to reach the host; give this or `uri`.
       * @example {
       *   "transport": "tcp",
       *   "hostname": "10.0.0.7"
       * }
       */
      connection?: components["schemas"]["HostConnectionDto"];
      /**
       * @description Instead of `connection`: a libvirt URI, accepted only when it is exactly the URI virtfleet
       * builds from some `connection` (no other query parameters, no user names, no encoding).
       * @example qemu+tcp://10.0.0.7/system
       */
      uri?: string;
      /**
       * @description Which driver manages the host.
       * @enum {string}
       */
      driverKind: "qemu-kvm" | "xen" | "lxc";
      /**
       * @description Disk capacity to hand out, GiB (libvirt does not report it per host).
       * @default 0
       */
      diskGiB?: number;
      /** @description vCPU overcommit ratio, (0, 64]. */
      cpuRatio?: number;
      /** @description Memory overcommit ratio, (0, 4]. */
      memoryRatio?: number;
      /** @description Disk overcommit ratio, (0, 16]. */
      diskRatio?: number;
      /**
       * @description Free-form labels matched by placement (`requiredLabels`).
       * @example {
       *   "rack": "r1"
       * }
       */
      labels?: {
        [key: string]: string;
      };
      /** @description Operator traits added to the capability traits, e.g. "ssd" (not `sim`, `driver:…`, `guest:…`, `cap:…`: virtfleet sets those). */
      traits?: string[];
    };
    /** @enum {string} */
    HostState: "enabled" | "maintenance" | "draining" | "offline" | "standby";
    HostConnectionViewDto: {
      /**
       * @description qemu, xen, libxl, lxc or test.
       * @enum {string}
       */
      driver: "qemu" | "xen" | "libxl" | "lxc" | "test";
      /**
       * @description local (this machine's daemon, default socket), unix (this machine, a chosen socket), tcp, tls or ssh.
       * @enum {string}
       */
      transport: "local" | "unix" | "tcp" | "tls" | "ssh";
      /**
       * @description tcp, tls, ssh: DNS name (lower case), IPv4 or IPv6 address (without brackets).
       * @example 10.0.0.7
       */
      hostname?: string;
      /** @description tcp, tls, ssh: port, 1-65535 (default: libvirt's for the transport). */
      port?: number;
      /**
       * @description unix: the daemon's socket; must lie under a directory of HOST_SOCKET_DIRS.
       * @example /run/libvirt/libvirt-sock
       */
      socket?: string;
      /**
       * @description Not for the test driver: system (default) or, QEMU only, session.
       * @enum {string}
       */
      scope?: "system" | "session";
      /** @description test driver: a node file under SIMULATED_HOSTS_DIR; absent: test:///default. */
      nodeFile?: string;
      /** @description test:///default only: a tag so that the shared in-process test hypervisor can be registered more than once. */
      suite?: string;
    };
    HostEndpointDto: {
      id: string;
      /** @enum {string} */
      driverKind: "xen" | "lxc" | "qemu-kvm";
      /** @description The libvirt URI virtfleet built from `connection`. */
      uri: string;
      /** @description null only for a URI stored before connections were structured that is not in that form. */
      connection: components["schemas"]["HostConnectionViewDto"] | null;
      /** @description The capability traits this driver gives the host. */
      traits: string[];
      /** Format: date-time */
      createdAt: string;
    };
    ResourcesDto: {
      vcpus: number;
      memoryMiB: number;
      diskGiB: number;
    };
    ForeignGuestDto: {
      /** @description libvirt's domain UUID. */
      uuid: string;
      name: string;
      /** @description As libvirt reports it (running, paused, shutoff, …). */
      state: string;
      vcpus: number;
      /** @description Its maximum memory, MiB (rounded up). */
      memoryMiB: number;
      /** @description Counted against the host's capacity (anything but shut off or crashed), except on a simulated host, where foreign guests are only listed. */
      active: boolean;
    };
    HostForeignGuestsDto: {
      /** @description Taken by the active foreign guests (disk is not observed: 0). */
      usage: components["schemas"]["ResourcesDto"];
      guests: components["schemas"]["ForeignGuestDto"][];
      /**
       * Format: date-time
       * @description When the reconciler last listed the host's guests; null: never.
       */
      observedAt: string | null;
    };
    HostDto: {
      state: components["schemas"]["HostState"];
      id: string;
      name: string;
      /** @description The libvirt URI of the host's first endpoint (see `endpoints`). */
      uri: string;
      /** @description How virtfleet reaches the host's first endpoint; null only for a host stored before connections were structured whose URI is not in that form. */
      connection: components["schemas"]["HostConnectionViewDto"] | null;
      /**
       * @description The driver of the host's first endpoint (see `endpoints` for all).
       * @enum {string}
       */
      driverKind: "xen" | "lxc" | "qemu-kvm";
      /**
       * @description Every driver endpoint of this machine, the first one first. They share one capacity and one
       * set of allocations: an instance runs under the endpoint of its own driver kind.
       */
      endpoints: components["schemas"]["HostEndpointDto"][];
      /**
       * @description What libvirt says identifies the machine: `uuid:<host UUID>` (capabilities), else
       * `hostname:<name>`; `simulated:<uri>` for the test driver. null: registered before identities.
       */
      machineId: string | null;
      traits: string[];
      labels: {
        [key: string]: string;
      };
      /** @description Physical capacity. */
      capacity: components["schemas"]["ResourcesDto"];
      ratios: {
        cpu: number;
        memory: number;
        disk: number;
      };
      /** @description capacity × ratio, rounded down: what placement may hand out. */
      usable: components["schemas"]["ResourcesDto"];
      /** @description Sum of the allocations on this host. */
      allocated: components["schemas"]["ResourcesDto"];
      /**
       * @description Guests virtfleet did not define, as the reconciler last saw them, and what the active ones
       * take: counted as used by placement and the capacity check, so free = usable − allocated − foreign.
       */
      foreign: components["schemas"]["HostForeignGuestsDto"];
      /** @description What placement may still hand out: usable − allocated − foreign usage, per dimension (never below 0). */
      free: components["schemas"]["ResourcesDto"];
      utilisation: {
        vcpus: number;
        memoryMiB: number;
        diskGiB: number;
      };
      instanceCount: number;
      hostname: string | null;
      hypervisorType: string | null;
      hypervisorVersion: string | null;
      libvirtVersion: string | null;
      /**
       * @description libvirt's test driver: no real guests, no capacity model, no migration. Carries the `sim`
       * trait: placement chooses it only when asked for explicitly (see POST /api/v1/instances).
       */
      simulated: boolean;
      /** Format: date-time */
      lastHeartbeatAt: string | null;
      lastError: string | null;
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    RegisterHostsDto: {
      /** @description The hosts to register, each as for POST /api/v1/hosts; at most 1,000 per call. */
      hosts: components["schemas"]["RegisterHostDto"][];
    };
    HostRegistrationResultDto: {
      /** @description Position of the host in the request's `hosts`. */
      index: number;
      /** @description The name the request gave. */
      name: string;
      /** @description What POST /api/v1/hosts would have answered for this host alone: 201, or the problem's 4xx/5xx. */
      status: number;
      host?: components["schemas"]["HostDto"];
      problem?: components["schemas"]["ProblemDetails"];
    };
    HostRegistrationsDto: {
      /** @description One entry per requested host, in request order. */
      results: components["schemas"]["HostRegistrationResultDto"][];
      registered: number;
      failed: number;
    };
    HostPageDto: {
      items: components["schemas"]["HostDto"][];
      nextCursor: string | null;
    };
    UpdateHostDto: {
      /** @description Disk capacity to hand out, GiB. */
      diskGiB?: number;
      /** @description vCPU overcommit ratio, (0, 64]. */
      cpuRatio?: number;
      /** @description Memory overcommit ratio, (0, 4]. */
      memoryRatio?: number;
      /** @description Disk overcommit ratio, (0, 16]. */
      diskRatio?: number;
      /** @description Replaces the labels. */
      labels?: {
        [key: string]: string;
      };
      /** @description Replaces the operator traits (virtfleet's own traits stay). */
      traits?: string[];
    };
    MaintenanceDto: {
      /** @description true: stop placing new instances here; false: back to enabled. */
      enabled: boolean;
    };
    DrainHostDto: {
      /**
       * @description migrate: move every instance elsewhere (live where possible, cold otherwise; placement picks
       * the target). stop: force-stop every running instance and leave it defined here.
       * @default migrate
       * @enum {string}
       */
      policy?: "migrate" | "stop";
      /** @description With policy migrate: host labels every target must carry (e.g. drain rack A into rack B). */
      targetHostLabels?: {
        [key: string]: string;
      };
      /**
       * @description With policy migrate: running guests without a live-migration target may move cold (downtime).
       * @default false
       */
      allowDowntime?: boolean;
    };
    DrainStartedDto: {
      instanceId: string;
      operationId: string;
    };
    DrainRefusedDto: {
      instanceId: string;
      /** @description Why no operation could start (e.g. no valid host, instance busy). */
      detail: string;
    };
    DrainResultDto: {
      host: components["schemas"]["HostDto"];
      /** @description Operations started, one per instance; poll them. */
      started: components["schemas"]["DrainStartedDto"][];
      /** @description Instances that stay for now, with the reason. */
      refused: components["schemas"]["DrainRefusedDto"][];
    };
    AddHostEndpointDto: {
      /**
       * @description How to reach this driver of the host; give this or `uri`.
       * @example {
       *   "driver": "lxc",
       *   "transport": "tcp",
       *   "hostname": "10.0.0.7"
       * }
       */
      connection?: components["schemas"]["HostConnectionDto"];
      /**
       * @description Instead of `connection`: the libvirt URI virtfleet would build from it.
       * @example lxc+tcp://10.0.0.7/system
       */
      uri?: string;
      /**
       * @description Which driver this endpoint serves.
       * @enum {string}
       */
      driverKind: "qemu-kvm" | "xen" | "lxc";
    };
    CreateVolumeDto: {
      /**
       * @description libvirt storage pool on the host; it must be one of the pools guests may use (STORAGE_POOLS).
       * @example default
       */
      pool: string;
      /**
       * @description Volume name: one plain file name (lower-case letters, digits, ".", "_", "-"; not starting with "."; no ".."; at most 63 characters).
       * @example web-1-root.qcow2
       */
      name: string;
      /**
       * @description file (a disk image or kernel) or dir (a container rootfs or bind-mount source). Required unless adopting.
       * @enum {string}
       */
      kind?: "file" | "dir";
      /**
       * @description Image format of a file volume; default raw. Not for directories.
       * @enum {string}
       */
      format?: "raw" | "qcow2";
      /** @description Size of a file volume in GiB (sparse: allocated as the guest writes). Required for files, not for directories. */
      capacityGiB?: number;
      /**
       * @description Admin only: register the existing libvirt volume `name` of `pool` as managed instead of
       * creating one. An act of trust in what the volume is on the host (it may be a symbolic link
       * libvirt follows); it is audited.
       */
      adopt?: boolean;
    };
    VolumeDto: {
      id: string;
      hostId: string;
      pool: string;
      name: string;
      /** @enum {string} */
      kind: "file" | "dir";
      /** @description Image format of a file volume as libvirt reports it; null for directories. */
      format: string | null;
      capacityBytes: number;
      /** @description libvirt's key for the volume (virStorageVolGetKey) when it was recorded. */
      key: string;
      /** @description The volume's path on the host (virStorageVolGetPath): what instance specs name. */
      path: string;
      /** @description true: an admin adopted an existing volume; false: virtfleet created it. */
      adopted: boolean;
      /** @description The instance it is attached to as a data disk (POST /instances/{id}/volumes); null when free. */
      attachedInstanceId: string | null;
      /** @description Who created or adopted it (`key:<name>`, or the unauthenticated caller). */
      createdBy: string;
      /** Format: date-time */
      createdAt: string;
    };
    VolumePageDto: {
      items: components["schemas"]["VolumeDto"][];
      nextCursor: string | null;
    };
    AttachVolumeDto: {
      /**
       * Format: uuid
       * @description An existing volume (GET /hosts/{hostId}/volumes): a free file volume, raw or qcow2, on the instance's host.
       */
      volumeId?: string;
      /**
       * @description A new volume: the storage pool of the instance's host to create it in (one of STORAGE_POOLS).
       * @example default
       */
      pool?: string;
      /**
       * @description A new volume: its name, one plain file name (never a path; "vf-" names are virtfleet's own).
       * @example data-1.qcow2
       */
      name?: string;
      /**
       * @description A new volume: raw or qcow2 (default qcow2).
       * @enum {string}
       */
      format?: "raw" | "qcow2";
      /** @description A new volume: its size in GiB (sparse). */
      capacityGiB?: number;
    };
    AcceptedVolumeOperationDto: {
      /** @description Poll GET /api/v1/operations/{operationId}; its `result.volumeId` names the volume once attached. */
      operationId: string;
      instanceId: string;
      /** @description The volume; null for one the operation is still to create. */
      volumeId: string | null;
    };
    CreateImageDto: {
      /**
       * @description Image name, unique: lower-case letters, digits, ".", "_", "-" (at most 63).
       * @example tiny-linux
       */
      name: string;
      /**
       * @description The storage pool of the host that holds the volume.
       * @example default
       */
      pool: string;
      /**
       * @description A managed file volume of that pool on the host (GET /hosts/{hostId}/volumes).
       * @example tiny-linux.qcow2
       */
      volume: string;
      /**
       * @description The format the image is supposed to be in; refused (422) when libvirt finds another. Default: whatever libvirt finds (raw or qcow2).
       * @enum {string}
       */
      format?: "raw" | "qcow2";
      /**
       * @description Free-form OS family, e.g. linux.
       * @example linux
       */
      osFamily?: string;
    };
    ImageDto: {
      id: string;
      name: string;
      /**
       * @description raw or qcow2, as libvirt found it when the image was registered.
       * @enum {string}
       */
      format: "raw" | "qcow2";
      /** @description Virtual size in bytes: the least a root disk made from it can be. */
      sizeBytes: number;
      osFamily: string | null;
      /** @description The host whose pool holds the image; instances using it are placed there. */
      hostId: string;
      pool: string;
      volumeId: string;
      /** @description Instances whose root disk is an overlay of it (it cannot be deleted meanwhile). */
      instanceCount: number;
      createdBy: string;
      /** Format: date-time */
      createdAt: string;
    };
    ImagePageDto: {
      items: components["schemas"]["ImageDto"][];
      nextCursor: string | null;
    };
    HvmDiskDto: {
      /** @enum {string} */
      format: "raw" | "qcow2";
      /** @description Target device name (e.g. vdb); assigned in order per bus when absent. */
      dev?: string;
      /** @enum {string} */
      bus: "virtio" | "ide" | "sata";
      /**
       * @description Absolute path of an image file on the host: a volume of one of the server's allowed storage
       * pools on the guest's host (422 naming the field otherwise).
       * @example /var/lib/virtfleet/images/web-1.qcow2
       */
      path: string;
      readonly?: boolean;
    };
    HvmNicDto: {
      /**
       * @description bridge: a host bridge by name; network: a libvirt virtual network by name.
       * @enum {string}
       */
      kind: "bridge" | "network";
      /**
       * @description Lower-case unicast MAC; libvirt generates one when absent.
       * @example 52:54:00:12:34:56
       */
      mac?: string;
      /**
       * @description Default virtio.
       * @enum {string}
       */
      model?: "virtio" | "e1000" | "e1000e" | "rtl8139";
      /**
       * @description Bridge or network name.
       * @example default
       */
      source: string;
    };
    KernelBootDto: {
      /**
       * @description Absolute path of the kernel image on the host.
       * @example /var/lib/virtfleet/kernels/vmlinuz
       */
      kernel: string;
      initrd?: string;
      /**
       * @description Kernel command line.
       * @example console=ttyS0 root=/dev/vda
       */
      cmdline?: string;
    };
    HvmBootDto: {
      /** @enum {string} */
      guestType: "hvm";
      /**
       * @description Default x86_64.
       * @enum {string}
       */
      arch?: "x86_64" | "i686";
      /**
       * @description Firmware boot device when there is no kernelBoot; default hd.
       * @enum {string}
       */
      bootDevice?: "hd" | "cdrom" | "network";
      disks?: components["schemas"]["HvmDiskDto"][];
      networks?: components["schemas"]["HvmNicDto"][];
      /**
       * @description Machine type; default pc.
       * @example q35
       */
      machine?: string;
      kernelBoot?: components["schemas"]["KernelBootDto"];
      /** @description VNC on 127.0.0.1 with an automatic port. */
      vnc?: boolean;
    };
    XenPvDiskDto: {
      /** @enum {string} */
      format: "raw" | "qcow2";
      /** @description Target device name (e.g. vdb); assigned in order per bus when absent. */
      dev?: string;
      /** @enum {string} */
      bus: "xen";
      /**
       * @description Absolute path of an image file on the host: a volume of one of the server's allowed storage
       * pools on the guest's host (422 naming the field otherwise).
       * @example /var/lib/virtfleet/images/web-1.qcow2
       */
      path: string;
      readonly?: boolean;
    };
    XenPvNicDto: {
      /**
       * @description bridge: a host bridge by name; network: a libvirt virtual network by name.
       * @enum {string}
       */
      kind: "bridge" | "network";
      /**
       * @description Lower-case unicast MAC; libvirt generates one when absent.
       * @example 52:54:00:12:34:56
       */
      mac?: string;
      /** @enum {string} */
      model?: "netfront";
      /**
       * @description Bridge or network name.
       * @example default
       */
      source: string;
    };
    XenPvBootDto: {
      /** @enum {string} */
      guestType: "xen-pv";
      boot: components["schemas"]["XenPvKernelBootDto"] | components["schemas"]["XenPvBootloaderDto"];
      disks?: components["schemas"]["XenPvDiskDto"][];
      networks?: components["schemas"]["XenPvNicDto"][];
    };
    XenPvhBootDto: {
      /** @enum {string} */
      guestType: "xen-pvh";
      disks?: components["schemas"]["XenPvDiskDto"][];
      networks?: components["schemas"]["XenPvNicDto"][];
      boot: components["schemas"]["KernelBootDto"];
    };
    XenHvmDiskDto: {
      /** @enum {string} */
      format: "raw" | "qcow2";
      /** @description Target device name (e.g. vdb); assigned in order per bus when absent. */
      dev?: string;
      /** @enum {string} */
      bus: "ide" | "xen";
      /**
       * @description Absolute path of an image file on the host: a volume of one of the server's allowed storage
       * pools on the guest's host (422 naming the field otherwise).
       * @example /var/lib/virtfleet/images/web-1.qcow2
       */
      path: string;
      readonly?: boolean;
    };
    XenHvmNicDto: {
      /**
       * @description bridge: a host bridge by name; network: a libvirt virtual network by name.
       * @enum {string}
       */
      kind: "bridge" | "network";
      /**
       * @description Lower-case unicast MAC; libvirt generates one when absent.
       * @example 52:54:00:12:34:56
       */
      mac?: string;
      /**
       * @description Default e1000.
       * @enum {string}
       */
      model?: "e1000" | "rtl8139" | "netfront";
      /**
       * @description Bridge or network name.
       * @example default
       */
      source: string;
    };
    XenHvmBootDto: {
      /** @enum {string} */
      guestType: "xen-hvm";
      /** @enum {string} */
      bootDevice?: "hd" | "cdrom" | "network";
      disks?: components["schemas"]["XenHvmDiskDto"][];
      networks?: components["schemas"]["XenHvmNicDto"][];
      /** @description Firmware loader under /usr/lib…; default /usr/lib/xen-4.17/boot/hvmloader. */
      loader?: string;
      vnc?: boolean;
    };
    ContainerNicDto: {
      /**
       * @description bridge: a host bridge by name; network: a libvirt virtual network by name.
       * @enum {string}
       */
      kind: "bridge" | "network";
      /**
       * @description Lower-case unicast MAC; libvirt generates one when absent.
       * @example 52:54:00:12:34:56
       */
      mac?: string;
      /**
       * @description Bridge or network name.
       * @example default
       */
      source: string;
    };
    BindMountDto: {
      /** @description Host directory (a volume of an allowed storage pool). */
      source: string;
      /**
       * @description Directory inside the container; not '/' (that is rootfs).
       * @example /data
       */
      target: string;
      readonly?: boolean;
    };
    ContainerLimitsDto: {
      memoryHardLimitMiB?: number;
      /** @description At most memoryHardLimitMiB. */
      memorySoftLimitMiB?: number;
      /** @description cgroup cpu shares (relative weight). */
      cpuShares?: number;
    };
    ContainerBootDto: {
      /** @enum {string} */
      guestType: "container";
      /**
       * @example [
       *   "infinity"
       * ]
       */
      initArgs?: string[];
      env?: {
        [key: string]: string;
      };
      networks?: components["schemas"]["ContainerNicDto"][];
      /**
       * @description Absolute path of the program libvirt runs as the container's init.
       * @example /bin/sleep
       */
      init: string;
      /** @description Host directory mounted as the container's '/'; the host root is shared when absent (if the server allows it). */
      rootfs?: string;
      mounts?: components["schemas"]["BindMountDto"][];
      limits?: components["schemas"]["ContainerLimitsDto"];
    };
    XenPvKernelBootDto: {
      /** @enum {string} */
      kind: "kernel";
      /**
       * @description Absolute path of the kernel image on the host.
       * @example /var/lib/virtfleet/kernels/vmlinuz
       */
      kernel: string;
      initrd?: string;
      /**
       * @description Kernel command line.
       * @example console=ttyS0 root=/dev/vda
       */
      cmdline?: string;
    };
    XenPvBootloaderDto: {
      /** @enum {string} */
      kind: "bootloader";
      /**
       * @description Absolute path of the bootloader (e.g. pygrub) under /usr/bin, /usr/lib, /usr/libexec or /usr/local.
       * @example /usr/bin/pygrub
       */
      bootloader: string;
    };
    InstancePlacementGroupDto: {
      /** @enum {string} */
      policy: "affinity" | "anti-affinity";
      name: string;
      hard: boolean;
    };
    RootDiskDto: {
      /**
       * @description Image name (GET /images).
       * @example tiny-linux
       */
      image: string;
    };
    PlacementGroupDto: {
      name: string;
      /** @enum {string} */
      policy: "affinity" | "anti-affinity";
      /**
       * @description hard: never broken (a filter); soft: preferred (a weigher).
       * @default true
       */
      hard?: boolean;
    };
    CreateInstanceDto: {
      /**
       * @description How the guest boots, by `guestType`: hvm (QEMU/KVM), xen-pv, xen-pvh, xen-hvm or container
       * (LXC); checked field by field against the driver's XML rules (400 listing every problem).
       * Host storage paths (disks, kernel/initrd, rootfs, mount sources) must be spelt plainly (400
       * otherwise) and be volumes of the server's allowed storage pools on the guest's host, as that
       * host's libvirt resolves them (422 naming the field otherwise).
       */
      boot: components["schemas"]["HvmBootDto"] | components["schemas"]["XenPvBootDto"] | components["schemas"]["XenPvhBootDto"] | components["schemas"]["XenHvmBootDto"] | components["schemas"]["ContainerBootDto"];
      /**
       * @description Unique name, also the libvirt domain name.
       * @example web-1
       */
      name: string;
      /** @enum {string} */
      driverKind: "qemu-kvm" | "xen" | "lxc";
      vcpus: number;
      memoryMiB: number;
      /**
       * @description Disk GiB claimed on the host; with `rootDisk`, the root disk's size (default and least: the image's size, rounded up).
       * @default 0
       */
      diskGiB?: number;
      /**
       * @description hvm guests (qemu-kvm): a root disk of `diskGiB` GiB, a qcow2 overlay of the image created in
       * its pool on the image's host (where the instance is then placed), attached first (vda) so the
       * guest boots from it, and deleted with the instance.
       */
      rootDisk?: components["schemas"]["RootDiskDto"];
      labels?: {
        [key: string]: string;
      };
      placementGroup?: components["schemas"]["PlacementGroupDto"];
      /**
       * Format: uuid
       * @description Place on this host instead of letting placement choose. Kept as `placement.hostId` for the
       * record, but not a rule for later moves (a move away cannot honour it): a drain or migration
       * moves the instance by its other rules. Set `pinned` to keep consolidation from moving it.
       */
      hostId?: string;
      /** @description Host labels the chosen host must carry. Stored: every later move honours them. */
      requiredHostLabels?: {
        [key: string]: string;
      };
      /** @description Traits the chosen host must have (e.g. "ssd"). Stored: every later move honours them. */
      requiredHostTraits?: string[];
      /** @description Traits the chosen host must not have. Stored: every later move honours them. */
      forbiddenHostTraits?: string[];
      /**
       * @description pack (fill hosts; consolidation-friendly, default) or spread. Stored: later moves rank with it.
       * @enum {string}
       */
      weigher?: "pack" | "spread";
      /**
       * @description Never moved by consolidation.
       * @default false
       */
      pinned?: boolean;
      /**
       * @description Start after defining (default true).
       * @default true
       */
      start?: boolean;
    };
    /** @enum {string} */
    GuestType: "hvm" | "xen-pv" | "xen-pvh" | "xen-hvm" | "container";
    /**
     * @description What the API was asked for.
     * @enum {string}
     */
    DesiredState: "running" | "stopped" | "paused";
    /**
     * @description What is in flight, if anything, and until when (null: nothing).
     * @enum {string}
     */
    InstanceTask: "creating" | "starting" | "stopping" | "rebooting" | "suspending" | "resuming" | "migrating" | "deleting" | "resizing" | "reconfiguring";
    /**
     * @description What libvirt last said; `unknown` when the host could not be asked, `missing` when it has no such guest.
     * @enum {string}
     */
    PowerState: "running" | "paused" | "shutoff" | "shutting-down" | "crashed" | "pm-suspended" | "blocked" | "missing" | "unknown";
    ChargedSizeDto: {
      vcpus: number;
      memoryMiB: number;
      diskGiB: number;
      /** @description Host memory beyond the guest's own (VMM process, container controller, hypervisor), MiB. */
      overheadMiB: number;
    };
    InstancePlacementDto: {
      requiredHostLabels: {
        [key: string]: string;
      };
      requiredHostTraits: string[];
      forbiddenHostTraits: string[];
      /** @description pack or spread. */
      weigher: string;
      /** @description The host the create request named, if any (a record: moves are not bound to it). */
      hostId: string | null;
    };
    InstanceDto: {
      guestType: components["schemas"]["GuestType"];
      /** @description The boot description as the create request gave it. */
      boot: components["schemas"]["HvmBootDto"] | components["schemas"]["XenPvBootDto"] | components["schemas"]["XenPvhBootDto"] | components["schemas"]["XenHvmBootDto"] | components["schemas"]["ContainerBootDto"];
      /** @description null: the instance is in no placement group. */
      placementGroup: components["schemas"]["InstancePlacementGroupDto"] | null;
      /** @description What the API was asked for. */
      desiredState: components["schemas"]["DesiredState"];
      /** @description What is in flight, if anything, and until when (null: nothing). */
      task: string | null;
      /** @description What libvirt last said; `unknown` when the host could not be asked, `missing` when it has no such guest. */
      observedState: components["schemas"]["PowerState"];
      id: string;
      name: string;
      /** @enum {string} */
      driverKind: "xen" | "lxc" | "qemu-kvm";
      vcpus: number;
      memoryMiB: number;
      diskGiB: number;
      /** @description `vcpus`, `memoryMiB`, `diskGiB` are the asked size; this is what the host is charged for it. */
      charged: components["schemas"]["ChargedSizeDto"];
      /** @description The image its root disk is an overlay of; null: no managed root disk. */
      imageId: string | null;
      labels: {
        [key: string]: string;
      };
      /** @description Placement rules from the create request; moves (migrate, drain, consolidation) honour them. */
      placement: components["schemas"]["InstancePlacementDto"];
      pinned: boolean;
      /** Format: date-time */
      taskDeadline: string | null;
      taskOperationId: string | null;
      observedReason: string | null;
      /** Format: date-time */
      observedAt: string | null;
      hostId: string | null;
      /** Format: date-time */
      lastMigratedAt: string | null;
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    AcceptedOperationDto: {
      /** @description Poll GET /api/v1/operations/{operationId}. */
      operationId: string;
      instance: components["schemas"]["InstanceDto"];
    };
    InstancePageDto: {
      items: components["schemas"]["InstanceDto"][];
      nextCursor: string | null;
    };
    UpdateInstanceDto: {
      /** @description Resizing needs the instance shut off. */
      vcpus?: number;
      memoryMiB?: number;
      labels?: {
        [key: string]: string;
      };
      pinned?: boolean;
    };
    StopDto: {
      /**
       * @description How long to wait for the guest OS before reporting that it did not stop (1–600 s).
       * @default 60
       */
      timeoutSeconds?: number;
    };
    MigrateDto: {
      /**
       * Format: uuid
       * @description Target host; placement chooses when absent.
       */
      targetHostId?: string;
      /**
       * @description live (running guests, drivers that can), cold (stop, move, start), or auto (live when possible).
       * @default auto
       * @enum {string}
       */
      mode?: "live" | "cold" | "auto";
      /**
       * @description Host labels the target must carry, on top of those the instance was created with (which
       * always apply; a label contradicting them is a 409).
       */
      requiredHostLabels?: {
        [key: string]: string;
      };
      /**
       * @description With mode auto: a running guest may move cold (shut down, moved, started) when no live target exists.
       * @default false
       */
      allowDowntime?: boolean;
    };
    SweepRequestDto: {
      /** @description Only these hosts; all hosts when absent. */
      hostIds?: string[];
    };
    DriftFindingDto: {
      instance: string;
      /** @description vanished, stopped-out-of-band, started-out-of-band, paused-out-of-band, crashed, reappeared */
      kind: string;
      detail: string;
    };
    ResolvedTaskDto: {
      instance: string;
      task: string;
      outcome: string;
    };
    SweptForeignGuestDto: {
      /** @description libvirt's domain UUID. */
      uuid: string;
      name: string;
      /** @description As libvirt reports it (running, paused, shutoff, …). */
      state: string;
      vcpus: number;
      /** @description Its maximum memory, MiB (rounded up). */
      memoryMiB: number;
      /** @description Counted against the host's capacity (anything but shut off or crashed), except on a simulated host, where foreign guests are only listed. */
      active: boolean;
      host: string;
      hostId: string;
    };
    SweepReportDto: {
      hosts: number;
      unreachableHosts: string[];
      stateChanges: number;
      drift: components["schemas"]["DriftFindingDto"][];
      resolvedTasks: components["schemas"]["ResolvedTaskDto"][];
      /** @description "host/guest" for every guest with no instance row that is not removed: ours by metadata but defined by no create of this database (reported, left alone), or defined by someone else (see foreignGuests). */
      unknownGuests: string[];
      /** @description Guests that one of our creates defined but whose instance row is gone (`host/guest`): removed. */
      removedOrphans: string[];
      /** @description Guests virtfleet did not define (no virtfleet metadata), per host: never touched, but their size counts against the host's capacity. */
      foreignGuests: components["schemas"]["SweptForeignGuestDto"][];
      skipped?: string;
    };
    CreatePlanDto: {
      /** @description Only these hosts (and their instances); the whole fleet when absent. */
      hostIds?: string[];
      /** @description Allow downtime for running instances whose driver cannot live-migrate (e.g. LXC). */
      allowColdMigration?: boolean;
      /** @description Most migrations in the plan. */
      migrationBudget?: number;
      /** @description Instances migrated less than this many seconds ago stay put. */
      cooldownSeconds?: number;
      /** @description Fill hosts to at most this fraction of usable capacity (0.1–1). */
      maxUtilisation?: number;
    };
    /** @enum {string} */
    PlanStatus: "proposed" | "executing" | "completed" | "failed" | "aborting" | "aborted";
    /**
     * @description Why it stays: pinned (by its owner), busy (an operation is in flight for it), unobservable
     * (its state is unknown or its guest missing), affinity-group, cooldown, needs-downtime,
     * migration-unsupported, budget-exhausted, no-capacity.
     * @enum {string}
     */
    SkipReason: "pinned" | "busy" | "unobservable" | "affinity-group" | "cooldown" | "needs-downtime" | "migration-unsupported" | "budget-exhausted" | "no-capacity";
    SkippedInstanceDto: {
      /**
       * @description Why it stays: pinned (by its owner), busy (an operation is in flight for it), unobservable
       * (its state is unknown or its guest missing), affinity-group, cooldown, needs-downtime,
       * migration-unsupported, budget-exhausted, no-capacity.
       */
      reason: components["schemas"]["SkipReason"];
      instanceId: string;
    };
    /** @enum {string} */
    PlanStepStatus: "pending" | "running" | "succeeded" | "failed" | "skipped";
    PlanStepDto: {
      status: components["schemas"]["PlanStepStatus"];
      seq: number;
      instanceId: string;
      instanceName: string;
      fromHostId: string;
      toHostId: string;
      /** @description live or cold */
      mode: string;
      memoryMiB: number;
      operationId: string | null;
      error: {
        [key: string]: unknown;
      } | null;
      /** Format: date-time */
      startedAt: string | null;
      /** Format: date-time */
      finishedAt: string | null;
    };
    PlanDto: {
      status: components["schemas"]["PlanStatus"];
      id: string;
      /** @description api or schedule */
      trigger: string;
      policy: {
        [key: string]: unknown;
      };
      scopeHostIds: string[];
      /** @description Active hosts before and after the plan, and the lower bound for this load. */
      hostsBefore: number;
      hostsAfter: number;
      lowerBound: number;
      /** @description Hosts the plan empties; they go to standby when it completes. */
      freedHostIds: string[];
      memoryToMoveMiB: number;
      migrations: number;
      /** @description Steps done / steps, 0–100. */
      progress: number;
      skipped: components["schemas"]["SkippedInstanceDto"][];
      steps: components["schemas"]["PlanStepDto"][];
      error: {
        [key: string]: unknown;
      } | null;
      actor: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      startedAt: string | null;
      /** Format: date-time */
      finishedAt: string | null;
    };
    PlanPageDto: {
      items: components["schemas"]["PlanDto"][];
      /** @description Cursor of the next page; null on the last one. */
      nextCursor: string | null;
    };
    /**
     * @description "Which technique?": also rank the request as each of these drivers (a workload that could
     * run as a VM or as a container), each charged its own overhead; answered in `techniques`.
     * A driver other than `driverKind` runs its default guest type (qemu-kvm: hvm, xen: xen-pvh,
     * lxc: container).
     * @enum {string}
     */
    DriverKind: "qemu-kvm" | "xen" | "lxc";
    PlacementPreviewDto: {
      /** @enum {string} */
      driverKind: "qemu-kvm" | "xen" | "lxc";
      vcpus: number;
      memoryMiB: number;
      /**
       * @description Disk GiB claimed on the host; with `rootDisk`, the root disk's size (default and least: the image's size, rounded up).
       * @default 0
       */
      diskGiB?: number;
      /** @description Host labels the chosen host must carry. Stored: every later move honours them. */
      requiredHostLabels?: {
        [key: string]: string;
      };
      /** @description Traits the chosen host must have (e.g. "ssd"). Stored: every later move honours them. */
      requiredHostTraits?: string[];
      /** @description Traits the chosen host must not have. Stored: every later move honours them. */
      forbiddenHostTraits?: string[];
      placementGroup?: components["schemas"]["PlacementGroupDto"];
      /**
       * Format: uuid
       * @description Place on this host instead of letting placement choose. Kept as `placement.hostId` for the
       * record, but not a rule for later moves (a move away cannot honour it): a drain or migration
       * moves the instance by its other rules. Set `pinned` to keep consolidation from moving it.
       */
      hostId?: string;
      /**
       * @description pack (fill hosts; consolidation-friendly, default) or spread. Stored: later moves rank with it.
       * @enum {string}
       */
      weigher?: "pack" | "spread";
      /**
       * @description "Which technique?": also rank the request as each of these drivers (a workload that could
       * run as a VM or as a container), each charged its own overhead; answered in `techniques`.
       * A driver other than `driverKind` runs its default guest type (qemu-kvm: hvm, xen: xen-pvh,
       * lxc: container).
       */
      compareDriverKinds?: components["schemas"]["DriverKind"][];
      /** @enum {string} */
      guestType: "hvm" | "xen-pv" | "xen-pvh" | "xen-hvm" | "container";
      /**
       * @description How many ranked candidates to return (1–100).
       * @default 10
       */
      limit?: number;
    };
    AskedSizeDto: {
      vcpus: number;
      memoryMiB: number;
      diskGiB: number;
    };
    RankedHostDto: {
      hostId: string;
      hostName: string;
      score: number;
      breakdown: {
        [key: string]: number;
      };
    };
    TechniqueOptionDto: {
      driverKind: components["schemas"]["DriverKind"];
      guestType: components["schemas"]["GuestType"];
      /**
       * @description measured here, or documented (Xen: from libxl's sizing, not measured).
       * @enum {string}
       */
      overheadSource: "measured" | "documented";
      /** @description What each such guest would be charged on its host. */
      charged: components["schemas"]["ChargedSizeDto"];
      validHostCount: number;
      chosen: string | null;
      /** @description The best hosts (at most `limit`), best first. */
      candidates: components["schemas"]["RankedHostDto"][];
      /** @description Guests of this size and technique the valid hosts still take (the fleet's room, counted in guests). */
      guestsThatFit: number;
      /** @description Median time of a fixed CPU-bound loop inside ÷ on the host, as measured (null: not measured). */
      cpuSlowdown: number | null;
    };
    FilterRejectionDto: {
      filter: string;
      /** @description Hosts this filter was the first to reject. */
      count: number;
      examples: string[];
      causes: string[];
    };
    PlacementPreviewResultDto: {
      /** @description The size the request asked for. */
      asked: components["schemas"]["AskedSizeDto"];
      /** @description What a create with this request would be charged on its host (asked size + the driver's overhead). */
      charged: components["schemas"]["ChargedSizeDto"];
      /** @description One entry per `compareDriverKinds`, in that order; empty when none was asked. */
      techniques: components["schemas"]["TechniqueOptionDto"][];
      candidates: components["schemas"]["RankedHostDto"][];
      validHostCount: number;
      rejections: components["schemas"]["FilterRejectionDto"][];
      /**
       * @description The host a create with the same request would choose when there is no tie; with a tie, the
       * first of `tiedHostIds` (a create draws among them at random).
       */
      chosen: string | null;
      /**
       * @description The hosts as good as the best (score within 1e-9 of it), best first, at most 5: a create
       * chooses one of them uniformly at random, never a host scored worse.
       */
      tiedHostIds: string[];
      /** @description More than one host is tied for best: which of `tiedHostIds` a create takes is random. */
      tie: boolean;
      /** @description no-hosts or all-rejected when nothing fits. */
      reason: string | null;
      /** @description Human-readable explanation when nothing fits. */
      explanation: string | null;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export type external = Record<string, never>;

export interface operations {

  /** This process's HTTP answers and placement claims, and the fleet's hosts, capacity and operations. */
  Metrics_scrape: {
    responses: {
      /** @description Prometheus text exposition format 0.0.4. */
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "text/plain": string;
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Events, filtered: newest first for browsing, or oldest first (`order=asc`, the default with `after`) to follow on from a point. */
  Events_list: {
    parameters: {
      query?: {
        /** @description Page size, 1–500. */
        limit?: number;
        /** @description `nextCursor` of the previous page (opaque; only valid for the same list and order). */
        cursor?: string;
        /** @description desc (newest first) by default; asc (oldest first) by default when `after` is given. */
        order?: "asc" | "desc";
        /** @description Only events after this id (a stream's resume point); the list is then oldest first unless `order` says otherwise. */
        after?: string;
        instanceId?: string;
        hostId?: string;
        /** @description Event kind or prefix, e.g. `drift` or `instance.`. */
        kind?: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["EventPageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Server-sent events: every new event matching the filter, as it is written (by any replica or
   * process). An idle stream gets a comment line (`: heartbeat`) every
   * EVENT_STREAM_HEARTBEAT_SECONDS. One API key may hold EVENT_STREAMS_PER_KEY streams, the
   * process EVENT_STREAMS_MAX; past either, 429.
   */
  Events_stream: {
    parameters: {
      query?: {
        /** @description Only events after this id (a stream's resume point); the list is then oldest first unless `order` says otherwise. */
        after?: string;
        instanceId?: string;
        hostId?: string;
        /** @description Event kind or prefix, e.g. `drift` or `instance.`. */
        kind?: string;
      };
    };
    responses: {
      /** @description One message per event: `id` is the event id, `event` its kind, `data` the event as JSON (the shape of an EventPage item). Comment lines (`: heartbeat`) keep an idle connection open. */
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "text/event-stream": string;
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** List API keys (never their secrets). */
  ApiKeys_list: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: number;
        /** @description `nextCursor` of the previous page (opaque; only valid for the same list and order). */
        cursor?: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["ApiKeyPageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Create an API key; the secret is in this answer only. */
  ApiKeys_create: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "name": "ci-deployer",
         *   "role": "operator"
         * }
         */
        "application/json": components["schemas"]["CreateApiKeyDto"];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["CreatedApiKeyDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Revoke an API key; it stops working within seconds. */
  ApiKeys_revoke: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The key is revoked. */
      204: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: never;
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Operations, newest first, filtered by status, kind and target. */
  Operations_list: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: number;
        /** @description `nextCursor` of the previous page (opaque; only valid for the same list and order). */
        cursor?: string;
        status?: "pending" | "running" | "succeeded" | "failed" | "aborted";
        /** @description Operation kind, e.g. `migrate`. */
        kind?: string;
        targetType?: "instance" | "host" | "plan";
        /** @description The instance, host or plan the operations act on. */
        targetId?: string;
        /** @description Operations on this instance (the same as targetType=instance&targetId=…). */
        instanceId?: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["OperationPageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Cancel an operation where its work can be taken back: a pending one (it never starts; a
   * pending create leaves nothing behind) or a running live migration (libvirt's job is aborted,
   * the guest stays on the source). It ends `aborted`; poll it. Anything else, and an operation
   * that has ended, is 409 with the reason.
   */
  Operations_cancel: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      202: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["OperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** An operation's status and progress; `?wait=N` holds the answer up to N seconds until it ends. */
  Operations_get: {
    parameters: {
      query?: {
        /** @description Wait up to this many seconds for the operation to end (0–60). */
        wait?: number;
      };
      path: {
        id: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["OperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** The process is up. No dependency is consulted. */
  Health_live: {
    responses: {
      /** @description The Health Check is successful */
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": {
            /**
             * @example ok
             * @enum {string}
             */
            status?: "ok" | "degraded";
            /**
             * @example {
             *   "database": {
             *     "status": "up",
             *     "responseTime": 12
             *   }
             * }
             */
            info?: ({
              [key: string]: {
                /** @enum {string} */
                status: "up" | "degraded" | "down";
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                [key: string]: unknown;
              };
            }) | null;
            /** @example {} */
            error?: ({
              [key: string]: {
                /** @enum {string} */
                status: "up" | "degraded" | "down";
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                [key: string]: unknown;
              };
            }) | null;
            /**
             * @example {
             *   "database": {
             *     "status": "up",
             *     "responseTime": 12
             *   }
             * }
             */
            details?: {
              [key: string]: {
                /** @enum {string} */
                status: "up" | "degraded" | "down";
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                [key: string]: unknown;
              };
            };
          };
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /**
       * @description The Health Check is not successful
       *
       * A dependency (database, hypervisor host) is unavailable or overloaded; retry later.
       */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * PostgreSQL answers, and at least one registered host's hypervisor connection answers (all
   * are probed, offline ones too; unreachable ones do not make the API unready). Without an API
   * key the answer gives each check's status only; with a viewer key (or higher) it lists every
   * host by name with its error text.
   */
  Health_ready: {
    responses: {
      /** @description The Health Check is successful */
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": {
            /**
             * @example ok
             * @enum {string}
             */
            status?: "ok" | "degraded";
            /**
             * @example {
             *   "database": {
             *     "status": "up",
             *     "responseTime": 12
             *   }
             * }
             */
            info?: ({
              [key: string]: {
                /** @enum {string} */
                status: "up" | "degraded" | "down";
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                [key: string]: unknown;
              };
            }) | null;
            /** @example {} */
            error?: ({
              [key: string]: {
                /** @enum {string} */
                status: "up" | "degraded" | "down";
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                [key: string]: unknown;
              };
            }) | null;
            /**
             * @example {
             *   "database": {
             *     "status": "up",
             *     "responseTime": 12
             *   }
             * }
             */
            details?: {
              [key: string]: {
                /** @enum {string} */
                status: "up" | "degraded" | "down";
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                [key: string]: unknown;
              };
            };
          };
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /**
       * @description The Health Check is not successful
       *
       * A dependency (database, hypervisor host) is unavailable or overloaded; retry later.
       */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** List hosts with capacity, allocation and utilisation. */
  Hosts_list: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: number;
        /** @description `nextCursor` of the previous page (opaque; only valid for the same list and order). */
        cursor?: string;
        state?: "enabled" | "maintenance" | "draining" | "offline" | "standby";
        driverKind?: "qemu-kvm" | "xen" | "lxc";
        /** @description Only the host of this name (names are unique: a page of one or none). */
        name?: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["HostPageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Register a physical server, described by `connection` (virtfleet builds the libvirt URI; a
   * `uri` is accepted only when it is exactly that URI). It is probed first: a connection outside
   * the allow-lists is refused with 400 before libvirt is asked, an unreachable host with 422.
   * A machine is registered once, whatever URI reaches it (libvirt's host UUID identifies it):
   * 409 naming the existing host when it is registered already; when only for another driver,
   * the 409 says to add this driver as an endpoint of that host (POST /hosts/{id}/endpoints).
   */
  Hosts_register: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "name": "example-host",
         *   "uri": "test:///default",
         *   "driverKind": "qemu-kvm",
         *   "diskGiB": 100,
         *   "labels": {
         *     "rack": "r1"
         *   },
         *   "traits": [
         *     "ssd"
         *   ]
         * }
         */
        "application/json": components["schemas"]["RegisterHostDto"];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["HostDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Register up to 1,000 hosts in one call, each exactly as POST /api/v1/hosts would (probed,
   * refused for the same reasons), a few probes at a time. The answer is 200 with one result per
   * host in request order: 201 and the host, or the problem that host alone would have got. A
   * malformed body (not the hosts' reachability) is a 400 and registers nothing.
   */
  Hosts_registerMany: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "hosts": [
         *     {
         *       "name": "example-host-2",
         *       "uri": "test:///default",
         *       "driverKind": "xen",
         *       "diskGiB": 100,
         *       "labels": {
         *         "rack": "r2"
         *       }
         *     }
         *   ]
         * }
         */
        "application/json": components["schemas"]["RegisterHostsDto"];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["HostRegistrationsDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource, or a request with this Idempotency-Key is still in progress. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** One host with capacity, allocation and utilisation. */
  Hosts_get: {
    parameters: {
      header?: {
        /** @description An ETag read earlier; 304 Not Modified when it is still the current version */
        "If-None-Match"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["HostDto"];
        };
      };
      /** @description Not modified: If-None-Match names the current version. */
      304: {
        headers: {
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: never;
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Remove a host; refused with 409 while it holds instances. */
  Hosts_remove: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The host is removed. */
      204: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: never;
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Change ratios, disk capacity, labels or operator traits. */
  Hosts_update: {
    parameters: {
      header?: {
        /** @description ETag of the version being changed; 412 when stale */
        "If-Match"?: string;
      };
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "cpuRatio": 4,
         *   "memoryRatio": 1,
         *   "labels": {
         *     "rack": "r1"
         *   }
         * }
         */
        "application/json": components["schemas"]["UpdateHostDto"];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["HostDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description If-Match names a version that is no longer current. */
      412: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Switch maintenance on (no new placements) or off. */
  Hosts_maintenance: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "enabled": false
         * }
         */
        "application/json": components["schemas"]["MaintenanceDto"];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["HostDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Drain: no new placements, and every instance migrated away (or stopped, per policy) as operations. */
  Hosts_drain: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "policy": "migrate",
         *   "allowDowntime": true
         * }
         */
        "application/json": components["schemas"]["DrainHostDto"];
      };
    };
    responses: {
      202: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["DrainResultDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Add another driver of the host's libvirt (e.g. LXC beside QEMU): probed first; 422 when the
   * connection reaches another machine, 409 when the host has that driver already. The host's
   * capacity and allocations stay one; its traits gain the driver's.
   */
  Hosts_addEndpoint: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "uri": "test:///default",
         *   "driverKind": "lxc"
         * }
         */
        "application/json": components["schemas"]["AddHostEndpointDto"];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["HostDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Remove one driver endpoint; 409 while instances of that driver are on the host, or when it is the last one. */
  Hosts_removeEndpoint: {
    parameters: {
      path: {
        id: string;
        endpointId: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["HostDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** The host's managed volumes. */
  Volumes_list: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: number;
        /** @description `nextCursor` of the previous page (opaque; only valid for the same list and order). */
        cursor?: string;
      };
      path: {
        hostId: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["VolumePageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Create an empty managed volume in an allowed storage pool of the host (operator), or adopt an
   * existing libvirt volume of such a pool as managed (`adopt: true`, admin only, audited). Guest
   * storage paths are accepted only when they are managed volumes of the guest's host.
   */
  Volumes_create: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        hostId: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "pool": "default-pool",
         *   "name": "example-disk.img",
         *   "kind": "file",
         *   "format": "raw",
         *   "capacityGiB": 1
         * }
         */
        "application/json": components["schemas"]["CreateVolumeDto"];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["VolumeDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The hypervisor answered with an error. */
      502: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** One managed volume. */
  Volumes_get: {
    parameters: {
      path: {
        hostId: string;
        volumeId: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["VolumeDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Delete a managed volume; 409 while an instance on the host uses it, or for a directory volume
   * that is not empty (libvirt removes only empty ones). A created volume is deleted on the host
   * with its data; an adopted one is released (kept on the host, no longer managed).
   */
  Volumes_remove: {
    parameters: {
      path: {
        hostId: string;
        volumeId: string;
      };
    };
    responses: {
      /** @description The volume is deleted (or, when adopted, released). */
      204: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: never;
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The hypervisor answered with an error. */
      502: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Attach a data disk: a managed file volume (raw or qcow2) of the instance's host (`volumeId`),
   * or a new one created first in a pool of that host (`pool`, `name`, `capacityGiB`, `format`;
   * deleted again when the attach fails, e.g. a pool too full: the operation fails with 422). The
   * definition is rebuilt from the stored spec with the disk added. A running guest sees it from
   * its next start. 409 while the volume is attached elsewhere, is an image or a root disk, or the
   * instance is busy; 422 for a volume of another host, a directory, or a guest type without disks.
   */
  VolumeAttachments_attach: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "pool": "default-pool",
         *   "name": "example-data.img",
         *   "format": "raw",
         *   "capacityGiB": 1
         * }
         */
        "application/json": components["schemas"]["AttachVolumeDto"];
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["AcceptedVolumeOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Detach a data volume (the guest must not be running); the volume stays, managed and free. */
  VolumeAttachments_detach: {
    parameters: {
      path: {
        id: string;
        volumeId: string;
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["AcceptedVolumeOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Register a managed file volume of the host as an image (operator). The host's libvirt says what it is:
   * 422 when it is not raw or qcow2, has a backing store, or is not the `format` claimed.
   */
  Images_create: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        hostId: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "name": "example-image",
         *   "pool": "default-pool",
         *   "volume": "example-disk.img",
         *   "osFamily": "linux"
         * }
         */
        "application/json": components["schemas"]["CreateImageDto"];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["ImageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The hypervisor answered with an error. */
      502: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** The image catalogue. */
  Images_list: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: number;
        /** @description `nextCursor` of the previous page (opaque; only valid for the same list and order). */
        cursor?: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["ImagePageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** One image. */
  Images_get: {
    parameters: {
      path: {
        imageId: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["ImageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Unregister an image; 409 while an instance's root disk is an overlay of it. Its volume stays managed. */
  Images_remove: {
    parameters: {
      path: {
        imageId: string;
      };
    };
    responses: {
      /** @description The image is unregistered; its volume is kept. */
      204: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: never;
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** List instances with desired, observed and task state. */
  Instances_list: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: number;
        /** @description `nextCursor` of the previous page (opaque; only valid for the same list and order). */
        cursor?: string;
        hostId?: string;
        driverKind?: "qemu-kvm" | "xen" | "lxc";
        observedState?: "running" | "paused" | "shutoff" | "shutting-down" | "crashed" | "pm-suspended" | "blocked" | "missing" | "unknown";
        placementGroup?: string;
        /** @description Only the instance of this name (names are unique: a page of one or none). */
        name?: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["InstancePageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Create an instance: placement chooses a host (or `hostId` pins one); defining and starting run as an operation. */
  Instances_create: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "name": "example-vm",
         *   "driverKind": "qemu-kvm",
         *   "vcpus": 1,
         *   "memoryMiB": 256,
         *   "boot": {
         *     "guestType": "hvm"
         *   },
         *   "labels": {
         *     "app": "example"
         *   },
         *   "requiredHostLabels": {
         *     "rack": "r1"
         *   }
         * }
         */
        "application/json": components["schemas"]["CreateInstanceDto"];
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["AcceptedOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** One instance with desired, observed and task state. */
  Instances_get: {
    parameters: {
      header?: {
        /** @description An ETag read earlier; 304 Not Modified when it is still the current version */
        "If-None-Match"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["InstanceDto"];
        };
      };
      /** @description Not modified: If-None-Match names the current version. */
      304: {
        headers: {
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: never;
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Delete: force-stops and undefines the guest, frees its allocation; deletes its root disk and (unless `keepVolumes=true`) its attached data volumes. */
  Instances_remove: {
    parameters: {
      query?: {
        /** @description "true": keep the data volumes attached to it (they stay managed, detached); default: they are deleted with it. Root disks always go. */
        keepVolumes?: "true" | "false";
      };
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["AcceptedOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Resize (shut-off instances only), relabel, pin. */
  Instances_update: {
    parameters: {
      header?: {
        /** @description ETag of the version being changed; 412 when stale */
        "If-Match"?: string;
      };
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "labels": {
         *     "app": "example",
         *     "tier": "web"
         *   },
         *   "pinned": false
         * }
         */
        "application/json": components["schemas"]["UpdateInstanceDto"];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["InstanceDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description If-Match names a version that is no longer current. */
      412: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Start a shut-off instance. */
  Instances_start: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["AcceptedOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Graceful shutdown; the operation fails (and says so) when the guest does not stop in time. */
  Instances_stop: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "timeoutSeconds": 60
         * }
         */
        "application/json": components["schemas"]["StopDto"];
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["AcceptedOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Power off at once, without asking the guest. */
  Instances_forceStop: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["AcceptedOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /**
   * Restart the instance: the hypervisor stops it at once and starts it again from its
   * definition (a hard reboot; for a graceful one, stop then start). The operation succeeds only
   * when the guest was really started anew; otherwise it fails and the instance shows where the
   * guest is (e.g. shut off when it could not start again).
   */
  Instances_reboot: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["AcceptedOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Pause a running instance; its memory stays allocated. */
  Instances_suspend: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["AcceptedOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Continue a suspended instance. */
  Instances_resume: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["AcceptedOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Move to another host: live where the driver can and the guest runs, cold otherwise. */
  Instances_migrate: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "mode": "auto",
         *   "allowDowntime": true
         * }
         */
        "application/json": components["schemas"]["MigrateDto"];
      };
    };
    responses: {
      /** @description The operation was started; poll it at Location. */
      202: {
        headers: {
          /** @description Where the created resource, or the operation carrying out the request, can be read. */
          Location?: string;
          /** @description Version of the resource, for If-Match. */
          ETag?: string;
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["AcceptedOperationDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Force a reconcile sweep now (audited); answers what it found and changed. */
  Reconciler_sweep: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
    };
    requestBody: {
      content: {
        /** @example {} */
        "application/json": components["schemas"]["SweepRequestDto"];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["SweepReportDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource, or a request with this Idempotency-Key is still in progress. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Plans, newest first. */
  Consolidation_list: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: number;
        /** @description `nextCursor` of the previous page (opaque; only valid for the same list and order). */
        cursor?: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["PlanPageDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Dry run: compute a plan over the fleet (or the given hosts) and keep it (503 plan-not-saved if the fleet changed meanwhile). Nothing moves. */
  Consolidation_create: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "allowColdMigration": false,
         *   "maxUtilisation": 0.8
         * }
         */
        "application/json": components["schemas"]["CreatePlanDto"];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["PlanDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource, or a request with this Idempotency-Key is still in progress. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** A plan with per-step status and progress. */
  Consolidation_get: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/json": components["schemas"]["PlanDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Approve and execute a proposed plan, step by step, in the background. */
  Consolidation_execute: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      202: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["PlanDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Stop an executing plan after its current step (or cancel a proposed one). */
  Consolidation_abort: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
      path: {
        id: string;
      };
    };
    responses: {
      202: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["PlanDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
  /** Dry run: rank the hosts for a would-be instance and explain every rejection. Nothing is claimed. */
  Placement_preview: {
    parameters: {
      header?: {
        /** @description Retries with the same key (and the same request) replay the first answer, with `Idempotent-Replayed: true`, instead of running twice. */
        "Idempotency-Key"?: string;
      };
    };
    requestBody: {
      content: {
        /**
         * @example {
         *   "driverKind": "qemu-kvm",
         *   "guestType": "hvm",
         *   "vcpus": 1,
         *   "memoryMiB": 256,
         *   "requiredHostLabels": {
         *     "rack": "r1"
         *   },
         *   "limit": 5,
         *   "compareDriverKinds": [
         *     "qemu-kvm",
         *     "lxc"
         *   ]
         * }
         */
        "application/json": components["schemas"]["PlacementPreviewDto"];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key. */
          "Idempotent-Replayed"?: "true";
        };
        content: {
          "application/json": components["schemas"]["PlacementPreviewResultDto"];
        };
      };
      /** @description The request body, parameters or headers are invalid. */
      400: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description No API key, or an unknown or revoked one. */
      401: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description The scheme to authenticate with: Bearer. */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key's role is not allowed on this route. */
      403: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The resource does not exist. */
      404: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request conflicts with the current state of the resource, or a request with this Idempotency-Key is still in progress. */
      409: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body is larger than the server accepts (BODY_LIMIT). */
      413: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request body has an unsupported charset or content encoding. */
      415: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request is well-formed but cannot be carried out, or this Idempotency-Key was already used for a different request. */
      422: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The API key exceeded its request rate, or the client address sent too many unknown keys; see Retry-After. */
      429: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description The request headers are too large. */
      431: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
      /** @description A dependency (database, hypervisor host) is unavailable or overloaded; retry later. */
      503: {
        headers: {
          /** @description Id of this request, also in problem bodies and the logs. */
          "X-Request-Id"?: string;
          /** @description Seconds to wait before retrying. */
          "Retry-After"?: number;
        };
        content: {
          "application/problem+json": components["schemas"]["ProblemDetails"];
        };
      };
    };
  };
}
