-- Managed storage volumes: guest storage must resolve to one of these (a volume virtfleet
-- created through the host's libvirt, or one an admin adopted). A host's rows go with the host.
CREATE TYPE "VolumeKind" AS ENUM ('file', 'dir');

CREATE TABLE "volumes" (
    "id" UUID NOT NULL,
    "host_id" UUID NOT NULL,
    "pool" VARCHAR(128) NOT NULL,
    "name" VARCHAR(63) NOT NULL,
    "kind" "VolumeKind" NOT NULL,
    "format" VARCHAR(32),
    "capacity_bytes" BIGINT NOT NULL,
    "libvirt_key" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "adopted" BOOLEAN NOT NULL DEFAULT false,
    "created_by" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "volumes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "volumes_capacity_bytes_check" CHECK ("capacity_bytes" >= 0),
    CONSTRAINT "volumes_format_check" CHECK (("kind" = 'dir') = ("format" IS NULL))
);

CREATE UNIQUE INDEX "volumes_host_id_pool_name_key" ON "volumes"("host_id", "pool", "name");

ALTER TABLE "volumes" ADD CONSTRAINT "volumes_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
