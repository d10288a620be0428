import type { EventDto } from './dto/event.dto.js';
import { batchRanges, eventMatches, mergeRanges, parseNotification } from './event-stream.js';

const event = (over: Partial<EventDto> = {}): EventDto => ({
  id: '10', at: new Date(0), kind: 'instance.state', instanceId: 'i', hostId: 'h', operationId: null, actor: null, message: 'm', data: {}, ...over,
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

describe('parseNotification', () => {
  it('reads "<min> <max>" and nothing else', () => {
    expect(parseNotification('3 7')).toEqual({ lo: 3n, hi: 7n });
    expect(parseNotification('9223372036854775807 9223372036854775807')).toEqual({ lo: 9223372036854775807n, hi: 9223372036854775807n });
    for (const bad of [undefined, '', '7 3', '1', '1 2 3', 'a b', '-1 2']) expect(parseNotification(bad)).toBeNull();
  });
});

describe('mergeRanges and batchRanges', () => {
  it('joins overlapping and adjacent ranges, in order', () => {
    expect(mergeRanges([{ lo: 10n, hi: 12n }, { lo: 1n, hi: 3n }, { lo: 4n, hi: 5n }, { lo: 11n, hi: 20n }], 100n))
      .toEqual([{ lo: 1n, hi: 5n }, { lo: 10n, hi: 20n }]);
  });

  it('cuts a long range into pieces of at most maxSpan ids', () => {
    expect(mergeRanges([{ lo: 1n, hi: 25n }], 10n)).toEqual([{ lo: 1n, hi: 10n }, { lo: 11n, hi: 20n }, { lo: 21n, hi: 25n }]);
  });

  it('groups ranges into batches of at most maxSpan ids', () => {
    expect(batchRanges([{ lo: 1n, hi: 4n }, { lo: 10n, hi: 14n }, { lo: 20n, hi: 22n }], 10n))
      .toEqual([[{ lo: 1n, hi: 4n }, { lo: 10n, hi: 14n }], [{ lo: 20n, hi: 22n }]]);
    expect(batchRanges([], 10n)).toEqual([]);
  });
});
