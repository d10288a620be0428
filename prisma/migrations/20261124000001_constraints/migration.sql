-- Constraints that the Prisma schema language cannot express. Hand-written; the Prisma migration
-- bookkeeping treats it like any other migration.

ALTER TABLE "hosts"
  ADD CONSTRAINT "hosts_name_format" CHECK ("name" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  ADD CONSTRAINT "hosts_capacity_positive" CHECK ("cpus" > 0 AND "memory_mib" > 0 AND "disk_gib" >= 0),
  ADD CONSTRAINT "hosts_ratios_sane" CHECK (
    "cpu_ratio" > 0 AND "cpu_ratio" <= 64 AND "memory_ratio" > 0 AND "memory_ratio" <= 4 AND "disk_ratio" > 0 AND "disk_ratio" <= 16);

ALTER TABLE "instances"
  ADD CONSTRAINT "instances_name_format" CHECK ("name" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  ADD CONSTRAINT "instances_resources_positive" CHECK ("vcpus" > 0 AND "memory_mib" > 0 AND "disk_gib" >= 0),
  ADD CONSTRAINT "instances_task_has_deadline" CHECK (("task" IS NULL) = ("task_deadline" IS NULL)),
  ADD CONSTRAINT "instances_group_has_policy" CHECK (("placement_group" IS NULL) = ("group_policy" IS NULL));

ALTER TABLE "allocations"
  ADD CONSTRAINT "allocations_resources_positive" CHECK ("vcpus" > 0 AND "memory_mib" > 0 AND "disk_gib" >= 0);

ALTER TABLE "operations"
  ADD CONSTRAINT "operations_progress_range" CHECK ("progress" BETWEEN 0 AND 100);

-- No host may hand out more than capacity × overcommit ratio (rounded down), whatever code
-- writes the allocation. The host row is locked first, so concurrent claims on one host are
-- serialised here and each sums what the others committed (READ COMMITTED takes a fresh
-- snapshot per statement inside the function). NO KEY UPDATE, not UPDATE: the foreign key
-- check of the same INSERT already holds KEY SHARE on that row, and two claims upgrading
-- KEY SHARE to UPDATE would deadlock each other.
CREATE FUNCTION "enforce_host_capacity"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  h "hosts"%ROWTYPE;
  used_vcpus bigint;
  used_memory bigint;
  used_disk bigint;
BEGIN
  SELECT * INTO h FROM "hosts" WHERE "id" = NEW."host_id" FOR NO KEY UPDATE;
  SELECT coalesce(sum("vcpus"), 0), coalesce(sum("memory_mib"), 0), coalesce(sum("disk_gib"), 0)
    INTO used_vcpus, used_memory, used_disk
    FROM "allocations" WHERE "host_id" = NEW."host_id";
  IF used_vcpus > floor(h."cpus" * h."cpu_ratio" + 1e-9)
     OR used_memory > floor(h."memory_mib" * h."memory_ratio" + 1e-9)
     OR used_disk > floor(h."disk_gib" * h."disk_ratio" + 1e-9) THEN
    RAISE EXCEPTION 'allocation exceeds the capacity of host %', h."name"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'allocations_within_host_capacity';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "allocations_within_host_capacity"
  AFTER INSERT OR UPDATE ON "allocations"
  FOR EACH ROW EXECUTE FUNCTION "enforce_host_capacity"();
