-- pick_host with a NULL `for_instance` (a claim for no existing instance) counted no allocation
-- at all: `"instance_id" <> NULL` is NULL, so every row dropped out of the sum. Our callers always
-- pass an id, and the capacity trigger still refused the overcommit, but the function must be
-- right on its own. Otherwise unchanged.
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
         AND used.vcpus + want_vcpus <= floor(h."cpus" * h."cpu_ratio" + 1e-9)
         AND used.memory_mib + want_memory_mib <= floor(h."memory_mib" * h."memory_ratio" + 1e-9)
         AND used.disk_gib + want_disk_gib <= floor(h."disk_gib" * h."disk_ratio" + 1e-9)
    ) THEN
      RETURN candidate;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
