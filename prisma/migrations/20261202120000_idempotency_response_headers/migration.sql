-- AlterTable: an idempotent replay repeats the first answer's ETag and Location.
ALTER TABLE "idempotency_records" ADD COLUMN "response_headers" JSONB NOT NULL DEFAULT '{}';
