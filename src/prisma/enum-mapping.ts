// Prisma names enum members with identifiers (qemu_kvm) while the database and the API use the
// mapped spellings (qemu-kvm). These convert at the boundary.
import type { DriverKind } from '../hypervisor/capabilities.js';
import type { PowerState } from '../hypervisor/hypervisor-driver.js';
import type { DriverKind as DbDriverKind, GroupPolicy as DbGroupPolicy, PowerState as DbPowerState } from '../generated/prisma/enums.js';
import * as DbEnums from '../generated/prisma/enums.js';

/**
 * The one rule between the spellings: a Prisma identifier's `_` is the database's (and the
 * API's) `-` (the schema's `@map`s; store-columns.spec.ts checks it for every enum value).
 * Hand-written SQL writes the database's spelling.
 */
export const toSqlEnum = (value: string): string => value.replaceAll('_', '-');
/** A database enum value (read back by hand-written SQL) as Prisma's identifier. */
export const fromSqlEnum = <T extends string>(value: string): T => value.replaceAll('-', '_') as T;

export const toDbDriverKind = (k: DriverKind): DbDriverKind => fromSqlEnum(k);
export const fromDbDriverKind = (k: DbDriverKind): DriverKind => toSqlEnum(k) as DriverKind;

export const toDbPowerState = (s: PowerState): DbPowerState => fromSqlEnum(s);
export const fromDbPowerState = (s: DbPowerState): PowerState => toSqlEnum(s) as PowerState;

export type GroupPolicy = 'affinity' | 'anti-affinity';
export const toDbGroupPolicy = (p: GroupPolicy): DbGroupPolicy => fromSqlEnum(p);
export const fromDbGroupPolicy = (p: DbGroupPolicy): GroupPolicy => toSqlEnum(p) as GroupPolicy;

// The API's spelling of each state enum, from the Prisma schema (the one source): the OpenAPI
// document lists exactly these values.
export const HOST_STATES = Object.values(DbEnums.HostState);
export const DESIRED_STATES = Object.values(DbEnums.DesiredState);
export const INSTANCE_TASKS = Object.values(DbEnums.InstanceTask);
export const POWER_STATES = Object.values(DbEnums.PowerState).map(fromDbPowerState);
export const OPERATION_STATUSES = Object.values(DbEnums.OperationStatus);
export const PLAN_STATUSES = Object.values(DbEnums.PlanStatus);
export const STEP_STATUSES = Object.values(DbEnums.StepStatus);
export const GROUP_POLICIES = Object.values(DbEnums.GroupPolicy).map(fromDbGroupPolicy);
