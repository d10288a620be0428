import { jsonShapeViolation, REQUEST_JSON_LIMITS } from './json-shape.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const limits = { maxDepth: 3, maxValues: 10 };

describe('jsonShapeViolation', () => {
  it('refuses the reported body (125,000 nested arrays) from its bytes, without parsing it', () => {
    const body = bytes(`{"requiredHostLabels":${'['.repeat(125_000)}`);
    expect(jsonShapeViolation(body, REQUEST_JSON_LIMITS)).toBe('JSON nests deeper than 32 levels');
  });

  it('counts arrays and objects alike, and accepts exactly the limit', () => {
    expect(jsonShapeViolation(bytes('{"a":[{"b":1}]}'), limits)).toBeNull();
    expect(jsonShapeViolation(bytes('{"a":[{"b":[1]}]}'), limits)).toBe('JSON nests deeper than 3 levels');
    expect(jsonShapeViolation(bytes('[[[[]]]]'), limits)).toBe('JSON nests deeper than 3 levels');
  });

  it('measures depth, not the number of brackets: siblings close before the next opens', () => {
    expect(jsonShapeViolation(bytes('[[1],[2],[3]]'), { maxDepth: 2, maxValues: 100 })).toBeNull();
  });

  it('ignores brackets and commas inside strings, escaped quotes included', () => {
    expect(jsonShapeViolation(bytes(JSON.stringify({ a: '[[[[{{{{,,,,,,,,,,,,', b: 'say \\"[[[[\\"' })), limits)).toBeNull();
    expect(jsonShapeViolation(bytes('{"a":"\\\\"}'), limits)).toBeNull();
    // After an escaped backslash the quote does close the string, so the brackets count again.
    expect(jsonShapeViolation(bytes('{"a":"\\\\",[[[[]]]]}'), limits)).toBe('JSON nests deeper than 3 levels');
  });

  it('bounds the number of values at every level', () => {
    expect(jsonShapeViolation(bytes(JSON.stringify(Array.from({ length: 9 }, (_, i) => i))), limits)).toBeNull();
    expect(jsonShapeViolation(bytes(JSON.stringify(Array.from({ length: 11 }, (_, i) => i))), limits)).toBe('JSON holds more than 10 values');
    expect(jsonShapeViolation(bytes(JSON.stringify({ a: [1, 2, 3], b: { c: [4, 5, 6], d: 7, e: 8 } })), limits)).toBe('JSON holds more than 10 values');
  });

  it('lets scalars and malformed input through: JSON.parse judges syntax', () => {
    expect(jsonShapeViolation(bytes('"just a string"'), limits)).toBeNull();
    expect(jsonShapeViolation(bytes(']]]]{'), limits)).toBeNull();
    expect(jsonShapeViolation(bytes(''), limits)).toBeNull();
  });
});
