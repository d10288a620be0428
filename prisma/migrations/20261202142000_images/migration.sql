-- Images (a managed file volume registered under a name) and root disks: an instance's root
-- disk is a qcow2 overlay volume owned by the instance, whose backing store is the image's volume.
CREATE TABLE "images" (
    "id" UUID NOT NULL,
    "name" VARCHAR(63) NOT NULL,
    "format" VARCHAR(16) NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "os_family" VARCHAR(32),
    "volume_id" UUID NOT NULL,
    "created_by" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "images_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "images_size_bytes_check" CHECK ("size_bytes" > 0),
    CONSTRAINT "images_format_check" CHECK ("format" IN ('raw', 'qcow2'))
);

CREATE UNIQUE INDEX "images_name_key" ON "images"("name");
CREATE UNIQUE INDEX "images_volume_id_key" ON "images"("volume_id");
ALTER TABLE "images" ADD CONSTRAINT "images_volume_id_fkey" FOREIGN KEY ("volume_id") REFERENCES "volumes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "instances" ADD COLUMN "image_id" UUID, ADD COLUMN "root_disk_path" TEXT;
ALTER TABLE "instances" ADD CONSTRAINT "instances_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "images"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "volumes" ADD COLUMN "instance_id" UUID;
ALTER TABLE "volumes" ADD CONSTRAINT "volumes_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "volumes_instance_id_idx" ON "volumes"("instance_id");
