import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { plainToInstance } from 'class-transformer';
import { IsInt, validateSync } from 'class-validator';
import { IsBigintIdString, IsOptional } from './validators.js';

class Sample {
  @IsOptional()
  @IsInt()
  count?: number;

  @IsOptional()
  @IsBigintIdString()
  after?: string;
}

const errorsOf = (plain: object) => validateSync(plainToInstance(Sample, plain)).map((e) => e.property);

describe('IsOptional', () => {
  it('skips a missing field but validates null like any other value', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ count: 3 })).toEqual([]);
    expect(errorsOf({ count: null })).toEqual(['count']);
  });

  it("is the one every DTO uses: class-validator's lets null through to the database", () => {
    const files = (readdirSync('src', { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.startsWith('generated'));
    const offenders = files.filter((f) =>
      /import\s*\{[^}]*\bIsOptional\b[^}]*\}\s*from\s*'class-validator'/.test(readFileSync(path.join('src', f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe('IsBigintIdString', () => {
  it("takes decimal strings from 0 to PostgreSQL's bigint maximum", () => {
    for (const after of ['0', '1', '9223372036854775807', '0009223372036854775807'])
      expect(errorsOf({ after })).toEqual(after.length > 19 ? ['after'] : []);
    for (const after of ['9223372036854775808', '9999999999999999999', '-1', '1.5', '1e3', ' 1', '', '١', 1 as unknown as string])
      expect(errorsOf({ after })).toEqual(['after']);
  });
});
