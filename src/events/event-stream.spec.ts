import type { EventDto } from './dto/event.dto.js';
import { EventCursor, eventMatches } from './event-stream.js';

const event = (over: Partial<EventDto> = {}): EventDto => ({
  id: '10',
  at: new Date(0),
  kind: 'instance.state',
  instanceId: 'i',
  hostId: 'h',
  operationId: null,
  actor: null,
  message: 'm',
  data: {},
  ...over,
});

describe('eventMatches', () => {
  it('applies every field of the filter', () => {
    expect(eventMatches({}, event())).toBe(true);
    expect(eventMatches({ kind: 'instance.' }, event())).toBe(true);
    expect(eventMatches({ kind: 'host.' }, event())).toBe(false);
    expect(eventMatches({ hostId: 'h', instanceId: 'i' }, event())).toBe(true);
    expect(eventMatches({ hostId: 'other' }, event())).toBe(false);
    expect(eventMatches({ instanceId: 'other' }, event())).toBe(false);
    expect(eventMatches({ hostId: 'h' }, event({ hostId: null }))).toBe(false);
  });

  it('passes only ids above `after`', () => {
    expect(eventMatches({ after: 9n }, event())).toBe(true);
    expect(eventMatches({ after: 10n }, event())).toBe(false);
  });
});

describe('EventCursor', () => {
  it('starts after the rows present, waiting for the holes among them', () => {
    const cursor = EventCursor.after([3n, 5n, 6n], 10n);
    expect(cursor.highest).toBe(6n);
    expect(cursor.waitingFor()).toEqual([1n, 2n, 4n]);
  });

  it('passes new ids and late ones once, and never a row seen before', () => {
    const cursor = EventCursor.after([5n], 10n);
    expect(cursor.accept([7n, 8n])).toEqual([7n, 8n]);
    expect(cursor.waitingFor()).toEqual([1n, 2n, 3n, 4n, 6n]);
    expect(cursor.accept([6n, 7n, 9n])).toEqual([6n, 9n]);
    expect(cursor.accept([5n, 6n])).toEqual([]);
  });

  it('waits for holes only within its window', () => {
    const cursor = EventCursor.after([], 3n);
    expect(cursor.accept([100n])).toEqual([100n]);
    expect(cursor.waitingFor()).toEqual([98n, 99n]);
    expect(cursor.accept([104n])).toEqual([104n]);
    expect(cursor.waitingFor()).toEqual([102n, 103n]);
    expect(cursor.accept([99n])).toEqual([]);
  });
});
