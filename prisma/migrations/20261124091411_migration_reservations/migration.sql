-- AlterTable
ALTER TABLE "allocations" DROP CONSTRAINT "allocations_pkey",
ADD CONSTRAINT "allocations_pkey" PRIMARY KEY ("instance_id", "host_id");
