-- The placement snapshot refreshed by what changed instead of re-read whole (issue #18). Every
-- write that changes what placement sees of a host (its row's placement columns, an allocation
-- on it) appends the host's id here with the writing transaction's id. A reader remembers the
-- oldest transaction still running when it last read (pg_snapshot_xmin of its snapshot) and
-- next reads the hosts named by rows of that transaction or later: every change it had not seen
-- yet is among them (transactions older than that had all ended and were seen). Rows are
-- deleted after a while (src/placement/placement-store.ts); a reader that fell behind re-reads
-- everything. Bookkeeping of the reconciler (heartbeats, errors, foreign guest lists) does not
-- count as a change. Only triggers are added to "hosts".
CREATE TABLE "placement_changes" (
    "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "host_id" UUID NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX "placement_changes_xid_idx" ON "placement_changes"("xid");

CREATE FUNCTION "placement_change_of_allocation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "placement_changes" ("host_id") VALUES (OLD."host_id");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."host_id" IS DISTINCT FROM OLD."host_id") THEN
    INSERT INTO "placement_changes" ("host_id") VALUES (NEW."host_id");
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "allocations_placement_change" AFTER INSERT OR UPDATE OR DELETE ON "allocations"
  FOR EACH ROW EXECUTE FUNCTION "placement_change_of_allocation"();

CREATE FUNCTION "placement_change_of_host"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "placement_changes" ("host_id") VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD."id" ELSE NEW."id" END);
  RETURN NULL;
END
$$;

CREATE TRIGGER "hosts_placement_change" AFTER INSERT OR DELETE ON "hosts"
  FOR EACH ROW EXECUTE FUNCTION "placement_change_of_host"();

CREATE TRIGGER "hosts_placement_change_update" AFTER UPDATE ON "hosts"
  FOR EACH ROW WHEN (
    (OLD."name", OLD."state", OLD."driver_kind", OLD."traits", OLD."labels", OLD."cpus", OLD."memory_mib", OLD."disk_gib",
     OLD."cpu_ratio", OLD."memory_ratio", OLD."disk_ratio", OLD."foreign_vcpus", OLD."foreign_memory_mib")
    IS DISTINCT FROM
    (NEW."name", NEW."state", NEW."driver_kind", NEW."traits", NEW."labels", NEW."cpus", NEW."memory_mib", NEW."disk_gib",
     NEW."cpu_ratio", NEW."memory_ratio", NEW."disk_ratio", NEW."foreign_vcpus", NEW."foreign_memory_mib"))
  EXECUTE FUNCTION "placement_change_of_host"();
