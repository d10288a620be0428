-- Hosts sharded across replicas (issue #18). Each API process that runs the periodic sweep
-- is a replica with a heartbeat; each host has at most one lease row naming its owner. A
-- replica's leases go with its row (deleted on shutdown, or by a survivor once the replica's
-- heartbeat is older than the lease time or its runner lock is free), and a lease goes with
-- its host. The hosts table itself is not changed.
CREATE TABLE "replicas" (
    "boot_id" VARCHAR(64) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "replicas_pkey" PRIMARY KEY ("boot_id")
);

CREATE TABLE "host_leases" (
    "host_id" UUID NOT NULL,
    "owner" VARCHAR(64) NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "host_leases_pkey" PRIMARY KEY ("host_id")
);

CREATE INDEX "host_leases_owner_idx" ON "host_leases"("owner");

ALTER TABLE "host_leases" ADD CONSTRAINT "host_leases_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "host_leases" ADD CONSTRAINT "host_leases_owner_fkey" FOREIGN KEY ("owner") REFERENCES "replicas"("boot_id") ON DELETE CASCADE ON UPDATE CASCADE;
