import { describe, expect, it } from '@jest/globals';
import { flowName } from '../../src/model/types.js';

describe('flowName', () => {
  it('joins namespace and id, with ? for what is missing', () => {
    expect(flowName({ namespace: 'company.team', id: 'hello' })).toBe('company.team.hello');
    expect(flowName({ id: 'hello' })).toBe('?.hello');
  });
});
