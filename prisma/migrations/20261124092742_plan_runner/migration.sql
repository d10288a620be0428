-- AlterTable
ALTER TABLE "consolidation_plans" ADD COLUMN     "runner" VARCHAR(64);
