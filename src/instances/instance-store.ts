// The instance workflows' hand-written SQL: the one-statement create (instance, its allocation
// on the host the claim picks, the create operation and the event) and the one-statement end of
// a task (instance state, operation outcome, event). One round trip each is why claims and task
// ends are fast; the columns come from each table's one list, enum values are written in the
// database's spelling by one rule (toSqlEnum) and rows come back in Prisma's shape here only.
import { Prisma, type Host, type Instance, type Operation } from '../generated/prisma/client.js';
import type { Resources } from '../common/resources.js';
import { EVENTS, EVENT_INSERT } from '../events/events-store.js';
import { OPERATIONS, OPERATION_INSERT } from '../operations/operations-store.js';
import { fromSqlEnum, toSqlEnum } from '../prisma/enum-mapping.js';
import {
  columnNames,
  columnValues,
  insertFields,
  readBackFields,
  selectFields,
  setColumns,
  tableColumns,
} from '../prisma/table-columns.js';

type Db = Prisma.TransactionClient;

export const INSTANCES = tableColumns('instances', {
  id: 'id',
  name: 'name',
  driverKind: 'driver_kind',
  guestType: 'guest_type',
  vcpus: 'vcpus',
  memoryMiB: 'memory_mib',
  diskGiB: 'disk_gib',
  bootSpec: 'boot_spec',
  labels: 'labels',
  placementGroup: 'placement_group',
  groupPolicy: 'group_policy',
  groupHard: 'group_hard',
  pinned: 'pinned',
  requiredHostLabels: 'required_host_labels',
  requiredHostTraits: 'required_host_traits',
  forbiddenHostTraits: 'forbidden_host_traits',
  placementWeigher: 'placement_weigher',
  requestedHostId: 'requested_host_id',
  desiredState: 'desired_state',
  task: 'task',
  taskDeadline: 'task_deadline',
  taskOperationId: 'task_operation_id',
  observedState: 'observed_state',
  observedReason: 'observed_reason',
  observedAt: 'observed_at',
  hostId: 'host_id',
  lastMigratedAt: 'last_migrated_at',
  version: 'version',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  imageId: 'image_id',
  rootDiskPath: 'root_disk_path',
});

export const ALLOCATIONS = tableColumns('allocations', {
  instanceId: 'instance_id',
  hostId: 'host_id',
  vcpus: 'vcpus',
  memoryMiB: 'memory_mib',
  diskGiB: 'disk_gib',
  createdAt: 'created_at',
});

const INSTANCE_CREATE = insertFields(INSTANCES, 'instance create', [
  'id',
  'name',
  'driverKind',
  'guestType',
  'vcpus',
  'memoryMiB',
  'diskGiB',
  'imageId',
  'rootDiskPath',
  'bootSpec',
  'labels',
  'pinned',
  'placementGroup',
  'groupPolicy',
  'groupHard',
  'requiredHostLabels',
  'requiredHostTraits',
  'forbiddenHostTraits',
  'placementWeigher',
  'requestedHostId',
  'desiredState',
  'task',
  'taskDeadline',
  'taskOperationId',
  'hostId',
  'updatedAt',
] as const);

/** What the create reads back: the chosen host and the columns the database fills in. */
const INSTANCE_FILLED = readBackFields(INSTANCES, 'instance create', [
  'hostId',
  'observedState',
  'observedReason',
  'observedAt',
  'lastMigratedAt',
  'version',
  'createdAt',
  'updatedAt',
] as const);

const ALLOCATION_CREATE = insertFields(ALLOCATIONS, 'instance create', ['instanceId', 'hostId', 'vcpus', 'memoryMiB', 'diskGiB'] as const);

type FilledField = (typeof INSTANCE_FILLED)[number];

/** An instance as the create writes it: every field but those the host pick and the database fill in. */
export type NewInstance = Omit<Instance, FilledField>;

/** The host a create placed its instance on. */
export type PlacedHost = Pick<Host, 'id' | 'name' | 'uri'>;

/** Who asked for a create, as its operation and event record it. */
export interface CreateProvenance {
  operation: Pick<Operation, 'actor' | 'requestId' | 'runner'>;
  event: { actor: string; data: Prisma.InputJsonObject };
}

const json = (value: unknown) => Prisma.sql`${JSON.stringify(value)}::jsonb`;

/**
 * Write `row` on the host that `pickHost` (placement's claim expression, SQL) chooses, its
 * allocation of `charged` there, its create operation and its event, in one statement. Null
 * when the pick found no host with room (concurrent claims filled every candidate).
 */
export async function insertPlacedInstance(
  db: Db,
  row: NewInstance,
  claim: { pickHost: Prisma.Sql; charged: Resources },
  provenance: CreateProvenance,
): Promise<{ instance: Instance; host: PlacedHost } | null> {
  const { charged } = claim;
  const { operation: op, event } = provenance;
  const operationId = row.taskOperationId!;
  const rows = await db.$queryRaw<Array<Pick<Instance, FilledField> & { hostName: string; hostUri: string }>>`
    WITH target AS (SELECT ${claim.pickHost} AS host_id),
    instance AS (
      INSERT INTO instances (${columnNames(INSTANCES, INSTANCE_CREATE)})
      SELECT ${columnValues(INSTANCE_CREATE, {
        id: Prisma.sql`${row.id}::uuid`,
        name: Prisma.sql`${row.name}`,
        driverKind: Prisma.sql`${toSqlEnum(row.driverKind)}::"DriverKind"`,
        guestType: Prisma.sql`${row.guestType}`,
        vcpus: Prisma.sql`${row.vcpus}`,
        memoryMiB: Prisma.sql`${row.memoryMiB}`,
        diskGiB: Prisma.sql`${row.diskGiB}`,
        imageId: Prisma.sql`${row.imageId}::uuid`,
        rootDiskPath: Prisma.sql`${row.rootDiskPath}`,
        bootSpec: json(row.bootSpec),
        labels: json(row.labels),
        pinned: Prisma.sql`${row.pinned}`,
        placementGroup: Prisma.sql`${row.placementGroup}`,
        groupPolicy: Prisma.sql`${row.groupPolicy === null ? null : toSqlEnum(row.groupPolicy)}::"GroupPolicy"`,
        groupHard: Prisma.sql`${row.groupHard}`,
        requiredHostLabels: json(row.requiredHostLabels),
        requiredHostTraits: Prisma.sql`${row.requiredHostTraits}::text[]`,
        forbiddenHostTraits: Prisma.sql`${row.forbiddenHostTraits}::text[]`,
        placementWeigher: Prisma.sql`${row.placementWeigher}`,
        requestedHostId: Prisma.sql`${row.requestedHostId}::uuid`,
        desiredState: Prisma.sql`${toSqlEnum(row.desiredState)}::"DesiredState"`,
        task: Prisma.sql`${row.task === null ? null : toSqlEnum(row.task)}::"InstanceTask"`,
        taskDeadline: Prisma.sql`${row.taskDeadline}`,
        taskOperationId: Prisma.sql`${operationId}::uuid`,
        hostId: Prisma.sql`target.host_id`,
        updatedAt: Prisma.sql`now()`,
      })}
        FROM target WHERE target.host_id IS NOT NULL
      RETURNING ${selectFields(INSTANCES, INSTANCE_FILLED)}
    ), allocation AS (
      INSERT INTO allocations (${columnNames(ALLOCATIONS, ALLOCATION_CREATE)})
      SELECT ${columnValues(ALLOCATION_CREATE, {
        instanceId: Prisma.sql`${row.id}::uuid`,
        hostId: Prisma.sql`instance."hostId"`,
        vcpus: Prisma.sql`${charged.vcpus}`,
        memoryMiB: Prisma.sql`${charged.memoryMiB}`,
        diskGiB: Prisma.sql`${charged.diskGiB}`,
      })} FROM instance
    ), operation AS (
      INSERT INTO operations (${columnNames(OPERATIONS, OPERATION_INSERT)})
      SELECT ${columnValues(OPERATION_INSERT, {
        id: Prisma.sql`${operationId}::uuid`,
        kind: Prisma.sql`'create'`,
        targetType: Prisma.sql`'instance'`,
        targetId: Prisma.sql`${row.id}::uuid`,
        actor: Prisma.sql`${op.actor}`,
        requestId: Prisma.sql`${op.requestId}`,
        runner: Prisma.sql`${op.runner}`,
        deadline: Prisma.sql`${row.taskDeadline}`,
      })} FROM instance
    ), event AS (
      INSERT INTO events (${columnNames(EVENTS, EVENT_INSERT)})
      SELECT ${columnValues(EVENT_INSERT, {
        kind: Prisma.sql`'instance.created'`,
        instanceId: Prisma.sql`${row.id}::uuid`,
        hostId: Prisma.sql`instance."hostId"`,
        operationId: Prisma.sql`${operationId}::uuid`,
        actor: Prisma.sql`${event.actor}`,
        message: Prisma.sql`'instance ' || ${row.name} || ' placed on host ' || instance."hostId"`,
        data: json(event.data),
      })} FROM instance
    )
    SELECT i.*, h.name AS "hostName", h.uri AS "hostUri" FROM instance i JOIN hosts h ON h.id = i."hostId"`;
  const created = rows[0];
  if (!created) return null;
  const { hostName, hostUri, ...filled } = created;
  return {
    instance: { ...row, ...filled, observedState: fromSqlEnum(filled.observedState) },
    host: { id: filled.hostId!, name: hostName, uri: hostUri },
  };
}

/** How a task ends: the state the guest was observed in, the operation's outcome and the event's text. */
export interface TaskEnd {
  instanceId: string;
  operationId: string;
  observedState: Instance['observedState'];
  /** Cut to the column's width. */
  observedReason: string;
  status: Extract<Operation['status'], 'succeeded' | 'failed' | 'aborted'>;
  /** The operation's error (JSON), or undefined to keep what it has. */
  error: Record<string, unknown> | undefined;
  message: string;
  event: { actor: string; data: Prisma.InputJsonObject };
}

/**
 * End the task of `end.operationId` on its instance in one statement: the instance's task
 * cleared and observed state written, the operation ended, the event appended. False (nothing
 * written) when the task is no longer the instance's.
 */
export async function endInstanceTask(db: Db, end: TaskEnd): Promise<boolean> {
  const ended = await db.$queryRaw<{ id: string }[]>`
    WITH before AS (
      SELECT id, host_id, observed_state, task FROM instances
       WHERE id = ${end.instanceId}::uuid AND task_operation_id = ${end.operationId}::uuid FOR NO KEY UPDATE
    ), instance AS (
      UPDATE instances i SET ${setColumns(INSTANCES, {
        task: Prisma.sql`NULL`,
        taskDeadline: Prisma.sql`NULL`,
        taskOperationId: Prisma.sql`NULL`,
        observedState: Prisma.sql`${toSqlEnum(end.observedState)}::"PowerState"`,
        observedReason: Prisma.sql`${end.observedReason.slice(0, 64)}`,
        observedAt: Prisma.sql`now()`,
        version: Prisma.sql`i.version + 1`,
        updatedAt: Prisma.sql`now()`,
      })}
        FROM before WHERE i.id = before.id
      RETURNING i.id
    ), operation AS (
      UPDATE operations SET ${setColumns(OPERATIONS, {
        status: Prisma.sql`${toSqlEnum(end.status)}::"OperationStatus"`,
        finishedAt: Prisma.sql`now()`,
        progress: Prisma.sql`coalesce(${end.status === 'succeeded' ? 100 : null}::int, progress)`,
        error: Prisma.sql`coalesce(${end.error === undefined ? null : JSON.stringify(end.error)}::jsonb, error)`,
      })}
       WHERE id = ${end.operationId}::uuid AND EXISTS (SELECT 1 FROM instance)
    ), event AS (
      INSERT INTO events (${columnNames(EVENTS, EVENT_INSERT)})
      SELECT ${columnValues(EVENT_INSERT, {
        kind: Prisma.sql`'instance.state'`,
        instanceId: Prisma.sql`before.id`,
        hostId: Prisma.sql`before.host_id`,
        operationId: Prisma.sql`${end.operationId}::uuid`,
        actor: Prisma.sql`${end.event.actor}`,
        message: Prisma.sql`${end.message}`,
        data: Prisma.sql`${JSON.stringify(end.event.data)}::jsonb || jsonb_build_object('from', before.observed_state, 'task', before.task)`,
      })}
        FROM before
    )
    SELECT id::text FROM instance`;
  return ended.length === 1;
}
