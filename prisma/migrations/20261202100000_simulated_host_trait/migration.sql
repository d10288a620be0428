-- Simulated hosts (libvirt's test driver) carry the trait `sim`, which placement's `simulated`
-- filter reads: they take instances only when a request asks for them explicitly. Hosts
-- registered before this get the trait here (traits stay sorted, as registration writes them).
-- No schema change.
UPDATE "hosts"
   SET "traits" = ARRAY(SELECT DISTINCT t FROM unnest("traits" || ARRAY['sim']) AS t ORDER BY t)
 WHERE "simulated" AND NOT ('sim' = ANY("traits"));
