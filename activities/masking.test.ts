import { describe, expect, it } from 'vitest';
import { maskValue, sampleEntry } from './masking.ts';

describe('maskValue', () => {
  it.each([
    ['email', 'jean.dupont@exemple.fr', 'j***@e***.fr'],
    ['email', ' Y.Lahmar@exemple.all.com ', 'Y***@e***.com'],
    ['email', 'alice.billardaux-air.fr', 'a***'],
    ['phone', '+33639981078', '+33 6** ** ** 78'],
    ['phone', '06 39 98 10 78', '+33 6** ** ** 78'],
    ['phone', '0033 6 39 98 10 78', '+33 6** ** ** 78'],
    ['phone', '639981078', '+33 6** ** ** 78'],
    ['phone', '+44 20 7946 0958', '+4*** 58'],
    ['phone', '12 34', '***'],
    ['text', 'Bordeaux', 'B***'],
    ['text', 'É', '***'],
    ['none', 'Atlantide', 'Atlantide'],
  ] as const)('%s %j → %j', (kind, value, masked) => {
    expect(maskValue(value, kind)).toBe(masked);
  });

  it('keeps NULL and writes the key alone when there is no value', () => {
    expect(maskValue(null, 'email')).toBeNull();
    expect(sampleEntry('45', null, 'email')).toBe('45');
    expect(sampleEntry('45', 'lea@exemple.fr', 'email')).toBe('45: l***@e***.fr');
  });
});
