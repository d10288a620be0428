-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "HostState" AS ENUM ('enabled', 'maintenance', 'draining', 'offline');

-- CreateTable
CREATE TABLE "hosts" (
    "id" UUID NOT NULL,
    "name" VARCHAR(63) NOT NULL,
    "uri" VARCHAR(1024) NOT NULL,
    "state" "HostState" NOT NULL DEFAULT 'enabled',
    "driver_kind" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "hosts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "hosts_name_key" ON "hosts"("name");

-- CreateIndex
CREATE UNIQUE INDEX "hosts_uri_key" ON "hosts"("uri");

