-- Data volumes attached to instances (issue #17): the attachment is recorded on the volume so a
-- volume in use is refused deletion at once, and an instance's delete knows which volumes are its.
ALTER TYPE "InstanceTask" ADD VALUE 'reconfiguring';

ALTER TABLE "volumes" ADD COLUMN "attached_instance_id" UUID;
ALTER TABLE "volumes" ADD CONSTRAINT "volumes_attached_instance_id_fkey" FOREIGN KEY ("attached_instance_id") REFERENCES "instances"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "volumes_attached_instance_id_idx" ON "volumes"("attached_instance_id");
