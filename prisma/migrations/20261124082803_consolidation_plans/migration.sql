-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('proposed', 'executing', 'completed', 'failed', 'aborting', 'aborted');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed', 'skipped');

-- CreateTable
CREATE TABLE "consolidation_plans" (
    "id" UUID NOT NULL,
    "status" "PlanStatus" NOT NULL DEFAULT 'proposed',
    "trigger" VARCHAR(16) NOT NULL,
    "policy" JSONB NOT NULL,
    "scope_host_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "hosts_before" INTEGER NOT NULL,
    "hosts_after" INTEGER NOT NULL,
    "lower_bound" INTEGER NOT NULL,
    "freed_host_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "memory_to_move_mib" INTEGER NOT NULL,
    "skipped" JSONB NOT NULL DEFAULT '[]',
    "error" JSONB,
    "actor" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "consolidation_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_steps" (
    "id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "instance_id" UUID NOT NULL,
    "instance_name" VARCHAR(63) NOT NULL,
    "from_host_id" UUID NOT NULL,
    "to_host_id" UUID NOT NULL,
    "mode" VARCHAR(8) NOT NULL,
    "memory_mib" INTEGER NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'pending',
    "operation_id" UUID,
    "error" JSONB,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "plan_steps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "consolidation_plans_status_idx" ON "consolidation_plans"("status");

-- CreateIndex
CREATE UNIQUE INDEX "plan_steps_plan_id_seq_key" ON "plan_steps"("plan_id", "seq");

-- AddForeignKey
ALTER TABLE "plan_steps" ADD CONSTRAINT "plan_steps_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "consolidation_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
