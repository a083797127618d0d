import { describe, expect, it } from '@jest/globals';
import { majorOf, releaseOf } from '../../src/model/kestra-version.js';
import { parseKestraVersion } from '../../src/model/settings-checks.js';

describe('the target Kestra version', () => {
  it('reads major.minor, empty as not given, and refuses anything else', () => {
    expect(parseKestraVersion('kestra-version', '1.3')).toBe('1.3');
    expect(parseKestraVersion('kestra-version', ' 2.0 ')).toBe('2.0');
    expect(parseKestraVersion('kestra-version', 'v2.01')).toBe('2.1');
    expect(parseKestraVersion('kestra-version', '')).toBeUndefined();
    for (const bad of ['2', '1.3.19', 'latest', '2.x', '1.3-SNAPSHOT']) {
      expect(() => parseKestraVersion('--kestra-version', bad)).toThrow(
        `'--kestra-version' must be a Kestra version as major.minor (e.g. 1.3 or 2.0), got ${JSON.stringify(bad)}`,
      );
    }
  });

  it("takes a server's release version, never a snapshot", () => {
    expect(releaseOf('1.3.19')).toBe('1.3');
    expect(releaseOf('2.0.8')).toBe('2.0');
    expect(releaseOf('2.0.0-SNAPSHOT')).toBeUndefined();
    expect(releaseOf(undefined)).toBeUndefined();
    expect(majorOf('2.0')).toBe(2);
    expect(majorOf('1.3')).toBe(1);
  });
});
