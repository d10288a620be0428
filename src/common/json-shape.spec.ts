import { jsonShapeViolation, REQUEST_JSON_LIMITS } from './json-shape.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const limits = { maxDepth: 3, maxValues: 10, maxObjectMembers: 10 };

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
    expect(jsonShapeViolation(bytes('[[1],[2],[3]]'), { maxDepth: 2, maxValues: 100, maxObjectMembers: 100 })).toBeNull();
  });

  it('ignores brackets and commas inside strings, escaped quotes included', () => {
    expect(jsonShapeViolation(bytes(JSON.stringify({ a: '[[[[{{{{,,,,,,,,,,,,', b: 'say \\"[[[[\\"' })), limits)).toBeNull();
    expect(jsonShapeViolation(bytes('{"a":"\\\\"}'), limits)).toBeNull();
    // After an escaped backslash the quote does close the string, so the brackets count again.
    expect(jsonShapeViolation(bytes('{"a":"\\\\",[[[[]]]]}'), limits)).toBe('JSON nests deeper than 3 levels');
  });

  it('bounds the number of values at every level', () => {
    expect(jsonShapeViolation(bytes(JSON.stringify(Array.from({ length: 9 }, (_, i) => i))), limits)).toBeNull();
    expect(jsonShapeViolation(bytes(JSON.stringify(Array.from({ length: 11 }, (_, i) => i))), limits)).toBe(
      'JSON holds more than 10 values',
    );
    expect(jsonShapeViolation(bytes(JSON.stringify({ a: [1, 2, 3], b: { c: [4, 5, 6], d: 7, e: 8 } })), limits)).toBe(
      'JSON holds more than 10 values',
    );
  });

  it('bounds the members of each object, not of arrays or of all objects together', () => {
    const wide = { maxDepth: 3, maxValues: 100, maxObjectMembers: 3 };
    const object = (n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));
    expect(jsonShapeViolation(bytes(object(3)), wide)).toBeNull();
    expect(jsonShapeViolation(bytes(object(4)), wide)).toBe('a JSON object has more than 3 members');
    expect(jsonShapeViolation(bytes(`{"a":${object(4)}}`), wide)).toBe('a JSON object has more than 3 members');
    expect(jsonShapeViolation(bytes(JSON.stringify(Array(50).fill(0))), wide)).toBeNull();
    // Siblings each within the bound; an array's commas inside an object do not count for it.
    expect(jsonShapeViolation(bytes(`{"a":${object(3)},"b":[1,2,3,4,5,6],"c":${object(3)}}`), wide)).toBeNull();
    expect(jsonShapeViolation(bytes(`[${object(3)},${object(3)},${object(3)}]`), wide)).toBeNull();
  });

  it('lets scalars and malformed input through: JSON.parse judges syntax', () => {
    expect(jsonShapeViolation(bytes('"just a string"'), limits)).toBeNull();
    expect(jsonShapeViolation(bytes(']]]]{'), limits)).toBeNull();
    expect(jsonShapeViolation(bytes(''), limits)).toBeNull();
  });
});
