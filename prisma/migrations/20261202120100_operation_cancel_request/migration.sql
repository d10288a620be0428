-- AlterTable: a cancel asked of a replica that does not run the operation, read by its runner.
ALTER TABLE "operations" ADD COLUMN "cancel_requested_at" TIMESTAMPTZ(3);
