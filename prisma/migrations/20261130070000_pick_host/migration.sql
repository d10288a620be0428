-- The placement claim's check, in the database: of `candidates` (best first), the first that is
-- enabled and still has room for the request, judged with what every earlier claim committed.
-- It locks every candidate row first, in id order (two claims locking the same hosts in rank
-- order could deadlock each other); the row locks are held to the end of the caller's
-- transaction. Being VOLATILE, each query below takes a fresh snapshot (READ COMMITTED), so the
-- sums see claims that committed while this one waited for a lock. NULL: none has room.
-- `for_instance`'s own allocation on a host is left out of its sum (a claim may be re-made).
-- The capacity trigger on "allocations" still checks whatever is finally written.
CREATE FUNCTION "pick_host"(candidates uuid[], want_vcpus integer, want_memory_mib integer, want_disk_gib integer, for_instance uuid)
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
                        FROM "allocations" WHERE "host_id" = h."id" AND "instance_id" <> for_instance) used
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
