-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "HostState" AS ENUM ('enabled', 'maintenance', 'draining', 'offline', 'standby');

-- CreateEnum
CREATE TYPE "DriverKind" AS ENUM ('qemu-kvm', 'xen', 'lxc');

-- CreateEnum
CREATE TYPE "PowerState" AS ENUM ('running', 'paused', 'shutoff', 'shutting-down', 'crashed', 'pm-suspended', 'blocked', 'missing', 'unknown');

-- CreateEnum
CREATE TYPE "DesiredState" AS ENUM ('running', 'stopped', 'paused');

-- CreateEnum
CREATE TYPE "InstanceTask" AS ENUM ('creating', 'starting', 'stopping', 'rebooting', 'suspending', 'resuming', 'migrating', 'deleting', 'resizing');

-- CreateEnum
CREATE TYPE "GroupPolicy" AS ENUM ('affinity', 'anti-affinity');

-- CreateEnum
CREATE TYPE "OperationStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed', 'aborted');

-- CreateTable
CREATE TABLE "hosts" (
    "id" UUID NOT NULL,
    "name" VARCHAR(63) NOT NULL,
    "uri" VARCHAR(1024) NOT NULL,
    "driver_kind" "DriverKind" NOT NULL,
    "state" "HostState" NOT NULL DEFAULT 'enabled',
    "traits" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "labels" JSONB NOT NULL DEFAULT '{}',
    "cpus" INTEGER NOT NULL,
    "memory_mib" INTEGER NOT NULL,
    "disk_gib" INTEGER NOT NULL,
    "cpu_ratio" DOUBLE PRECISION NOT NULL DEFAULT 4,
    "memory_ratio" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "disk_ratio" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "hostname" VARCHAR(255),
    "hypervisor_type" VARCHAR(32),
    "hypervisor_version" VARCHAR(32),
    "libvirt_version" VARCHAR(32),
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "last_heartbeat_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "hosts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "instances" (
    "id" UUID NOT NULL,
    "name" VARCHAR(63) NOT NULL,
    "driver_kind" "DriverKind" NOT NULL,
    "guest_type" VARCHAR(16) NOT NULL,
    "vcpus" INTEGER NOT NULL,
    "memory_mib" INTEGER NOT NULL,
    "disk_gib" INTEGER NOT NULL DEFAULT 0,
    "boot_spec" JSONB NOT NULL DEFAULT '{}',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "placement_group" VARCHAR(63),
    "group_policy" "GroupPolicy",
    "group_hard" BOOLEAN NOT NULL DEFAULT true,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "desired_state" "DesiredState" NOT NULL DEFAULT 'running',
    "task" "InstanceTask",
    "task_deadline" TIMESTAMPTZ(3),
    "task_operation_id" UUID,
    "observed_state" "PowerState" NOT NULL DEFAULT 'unknown',
    "observed_reason" VARCHAR(64),
    "observed_at" TIMESTAMPTZ(3),
    "host_id" UUID,
    "last_migrated_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "instances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "allocations" (
    "instance_id" UUID NOT NULL,
    "host_id" UUID NOT NULL,
    "vcpus" INTEGER NOT NULL,
    "memory_mib" INTEGER NOT NULL,
    "disk_gib" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "allocations_pkey" PRIMARY KEY ("instance_id")
);

-- CreateTable
CREATE TABLE "operations" (
    "id" UUID NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "target_type" VARCHAR(16) NOT NULL,
    "target_id" UUID NOT NULL,
    "status" "OperationStatus" NOT NULL DEFAULT 'pending',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "error" JSONB,
    "result" JSONB,
    "actor" VARCHAR(128) NOT NULL,
    "request_id" VARCHAR(128),
    "deadline" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "operations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" VARCHAR(32) NOT NULL,
    "instance_id" UUID,
    "host_id" UUID,
    "operation_id" UUID,
    "actor" VARCHAR(128),
    "message" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "actor" VARCHAR(128) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "method" VARCHAR(8) NOT NULL,
    "path" VARCHAR(1024) NOT NULL,
    "request_hash" VARCHAR(64) NOT NULL,
    "response_status" INTEGER NOT NULL,
    "response_body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("actor","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "hosts_name_key" ON "hosts"("name");

-- CreateIndex
CREATE UNIQUE INDEX "hosts_uri_key" ON "hosts"("uri");

-- CreateIndex
CREATE UNIQUE INDEX "instances_name_key" ON "instances"("name");

-- CreateIndex
CREATE INDEX "instances_host_id_idx" ON "instances"("host_id");

-- CreateIndex
CREATE INDEX "instances_placement_group_idx" ON "instances"("placement_group");

-- CreateIndex
CREATE INDEX "allocations_host_id_idx" ON "allocations"("host_id");

-- CreateIndex
CREATE INDEX "operations_target_id_created_at_idx" ON "operations"("target_id", "created_at");

-- CreateIndex
CREATE INDEX "operations_status_idx" ON "operations"("status");

-- CreateIndex
CREATE INDEX "events_instance_id_at_idx" ON "events"("instance_id", "at");

-- CreateIndex
CREATE INDEX "events_host_id_at_idx" ON "events"("host_id", "at");

-- CreateIndex
CREATE INDEX "events_kind_at_idx" ON "events"("kind", "at");

-- AddForeignKey
ALTER TABLE "instances" ADD CONSTRAINT "instances_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
