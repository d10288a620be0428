-- A host is a physical machine with one or more driver endpoints (issue 15 item 1): one
-- libvirtd serving QEMU and LXC is one host, one capacity. machine_id is what libvirt says
-- identifies the machine; hosts registered before have none (null) until registered anew.
ALTER TABLE "hosts" ADD COLUMN "machine_id" VARCHAR(1100);
CREATE UNIQUE INDEX "hosts_machine_id_key" ON "hosts"("machine_id");

CREATE TABLE "host_endpoints" (
    "id" UUID NOT NULL,
    "host_id" UUID NOT NULL,
    "driver_kind" "DriverKind" NOT NULL,
    "uri" VARCHAR(1024) NOT NULL,
    "traits" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "host_endpoints_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "host_endpoints_uri_driver_kind_key" ON "host_endpoints"("uri", "driver_kind");
CREATE UNIQUE INDEX "host_endpoints_host_id_driver_kind_key" ON "host_endpoints"("host_id", "driver_kind");
ALTER TABLE "host_endpoints" ADD CONSTRAINT "host_endpoints_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A host's first endpoint is its own uri and driver_kind: every host has that endpoint row,
-- however the host row was written (registration, or tests writing rows directly), with the
-- traits virtfleet sets (capabilities, sim) that the host has.
CREATE FUNCTION host_first_endpoint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "host_endpoints" ("id", "host_id", "driver_kind", "uri", "traits", "created_at")
  VALUES (gen_random_uuid(), NEW."id", NEW."driver_kind", NEW."uri",
          ARRAY(SELECT t FROM unnest(NEW."traits") AS t WHERE t ~ '^(sim|(driver|guest|cap):)' ORDER BY t), NEW."created_at")
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER host_first_endpoint AFTER INSERT ON "hosts" FOR EACH ROW EXECUTE FUNCTION host_first_endpoint();

-- A host row's uri moved (same driver): its first endpoint moves with it.
CREATE FUNCTION host_first_endpoint_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "host_endpoints" SET "uri" = NEW."uri" WHERE "host_id" = NEW."id" AND "driver_kind" = NEW."driver_kind";
  RETURN NULL;
END $$;
CREATE TRIGGER host_first_endpoint_moved AFTER UPDATE OF "uri" ON "hosts" FOR EACH ROW
  WHEN (OLD."uri" IS DISTINCT FROM NEW."uri" AND OLD."driver_kind" = NEW."driver_kind") EXECUTE FUNCTION host_first_endpoint_moved();

-- Every existing host's one URI becomes its first endpoint.
INSERT INTO "host_endpoints" ("id", "host_id", "driver_kind", "uri", "traits", "created_at")
SELECT gen_random_uuid(), h."id", h."driver_kind", h."uri",
       ARRAY(SELECT t FROM unnest(h."traits") AS t WHERE t ~ '^(sim|(driver|guest|cap):)' ORDER BY t), h."created_at"
  FROM "hosts" h;
