-- AlterTable
ALTER TABLE "operations" ADD COLUMN     "runner" VARCHAR(64);
