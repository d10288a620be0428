-- Event streams follow new rows through LISTEN/NOTIFY instead of polling: every statement that
-- inserts events, whoever runs it (this API, another replica, a script), notifies the channel
-- `virtfleet_events` with the lowest and highest id it wrote ("<min> <max>"). NOTIFY is sent at
-- commit, so a listener that reads those ids afterwards always sees the rows, in commit order.
-- One notification per statement, not per row, keeps batch inserts cheap.
CREATE FUNCTION "notify_events_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lo bigint;
  hi bigint;
BEGIN
  SELECT min("id"), max("id") INTO lo, hi FROM inserted;
  IF lo IS NOT NULL THEN
    PERFORM pg_notify('virtfleet_events', lo::text || ' ' || hi::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "events_notify_inserted"
  AFTER INSERT ON "events"
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_events_inserted"();
