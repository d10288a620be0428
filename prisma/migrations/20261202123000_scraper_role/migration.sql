-- A role that may read /metrics only (Prometheus), outside the API rate limit.
ALTER TYPE "ApiRole" ADD VALUE IF NOT EXISTS 'scraper';
