-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "foreign_guests" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "foreign_memory_mib" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "foreign_observed_at" TIMESTAMPTZ(3),
ADD COLUMN     "foreign_vcpus" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "instances" ADD COLUMN     "forbidden_host_traits" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "placement_weigher" VARCHAR(16) NOT NULL DEFAULT 'pack',
ADD COLUMN     "requested_host_id" UUID,
ADD COLUMN     "required_host_labels" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "required_host_traits" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Hand-written below: constraints and functions Prisma cannot express.
ALTER TABLE "instances"
  ADD CONSTRAINT "instances_placement_weigher_known" CHECK ("placement_weigher" IN ('pack', 'spread'));
ALTER TABLE "hosts"
  ADD CONSTRAINT "hosts_foreign_usage_non_negative" CHECK ("foreign_vcpus" >= 0 AND "foreign_memory_mib" >= 0);

-- The capacity check counts what running foreign guests (domains virtfleet did not define, as
-- the reconciler last saw them) hold on the host, besides the allocations. An update that
-- grows no dimension is never refused: shrinking or re-writing an allocation must not fail
-- because a foreign guest appeared after it was made.
CREATE OR REPLACE FUNCTION "enforce_host_capacity"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  h "hosts"%ROWTYPE;
  used_vcpus bigint;
  used_memory bigint;
  used_disk bigint;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."host_id" = OLD."host_id" AND NEW."vcpus" <= OLD."vcpus"
     AND NEW."memory_mib" <= OLD."memory_mib" AND NEW."disk_gib" <= OLD."disk_gib" THEN
    RETURN NULL;
  END IF;
  SELECT * INTO h FROM "hosts" WHERE "id" = NEW."host_id" FOR NO KEY UPDATE;
  SELECT coalesce(sum("vcpus"), 0), coalesce(sum("memory_mib"), 0), coalesce(sum("disk_gib"), 0)
    INTO used_vcpus, used_memory, used_disk
    FROM "allocations" WHERE "host_id" = NEW."host_id";
  IF used_vcpus + h."foreign_vcpus" > floor(h."cpus" * h."cpu_ratio" + 1e-9)
     OR used_memory + h."foreign_memory_mib" > floor(h."memory_mib" * h."memory_ratio" + 1e-9)
     OR used_disk > floor(h."disk_gib" * h."disk_ratio" + 1e-9) THEN
    RAISE EXCEPTION 'allocation exceeds the capacity of host %', h."name"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'allocations_within_host_capacity';
  END IF;
  RETURN NULL;
END
$$;

-- pick_host counts foreign guests' usage too. Otherwise unchanged.
CREATE OR REPLACE FUNCTION "pick_host"(candidates uuid[], want_vcpus integer, want_memory_mib integer, want_disk_gib integer, for_instance uuid)
RETURNS uuid LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  candidate uuid;
BEGIN
  PERFORM 1 FROM "hosts" WHERE "id" = ANY(candidates) ORDER BY "id" FOR NO KEY UPDATE;
  FOREACH candidate IN ARRAY candidates LOOP
    IF EXISTS (
      SELECT 1
        FROM "hosts" h,
             LATERAL (SELECT coalesce(sum("vcpus"), 0) AS vcpus, coalesce(sum("memory_mib"), 0) AS memory_mib,
                             coalesce(sum("disk_gib"), 0) AS disk_gib
                        FROM "allocations" WHERE "host_id" = h."id" AND "instance_id" IS DISTINCT FROM for_instance) used
       WHERE h."id" = candidate AND h."state" = 'enabled'
         AND used.vcpus + h."foreign_vcpus" + want_vcpus <= floor(h."cpus" * h."cpu_ratio" + 1e-9)
         AND used.memory_mib + h."foreign_memory_mib" + want_memory_mib <= floor(h."memory_mib" * h."memory_ratio" + 1e-9)
         AND used.disk_gib + want_disk_gib <= floor(h."disk_gib" * h."disk_ratio" + 1e-9)
    ) THEN
      RETURN candidate;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
