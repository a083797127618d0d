// The hidden marker that finds a step's comment again: one per action and scope, or per comment-id.
import { describe, expect, it } from '@jest/globals';
import { commentMarker } from '../../src/render/marker.js';

describe('commentMarker', () => {
  const scope = { resource: 'flows', namespace: 'dev.company.team', directory: 'flows' };

  it('is the same for the same step and differs with the action or any part of the scope', () => {
    const marker = commentMarker('deploy', { scope });
    expect(commentMarker('deploy', { scope: { ...scope } })).toBe(marker);
    expect(marker).toMatch(/^<!-- kestra-actions:deploy:[0-9a-f]{16} -->$/);
    const others = [
      commentMarker('validate', { scope }),
      commentMarker('deploy', { scope: { ...scope, namespace: 'prod.company.team' } }),
      commentMarker('deploy', { scope: { ...scope, resource: 'namespace-files' } }),
      commentMarker('deploy', { scope: { ...scope, directory: 'other' } }),
    ];
    expect(new Set([marker, ...others]).size).toBe(5);
  });

  it('does not hold the scope, which may name an internal server', () => {
    expect(commentMarker('deploy', { scope: { server: 'https://kestra.internal' } })).not.toContain(
      'internal',
    );
  });

  it('keeps a comment-id readable, and one that tries to end the HTML comment inert', () => {
    expect(commentMarker('deploy', { id: 'prod' })).toBe('<!-- kestra-actions:deploy:id=prod -->');
    const hostile = commentMarker('validate', { id: 'x -->\n<img src=y> @team' });
    expect(hostile).toBe('<!-- kestra-actions:validate:id=x%20--%3E%0A%3Cimg%20src%3Dy%3E%20%40team -->');
    expect(hostile.indexOf('-->')).toBe(hostile.length - 3);
  });

  it('never holds another marker, so no step finds a comment that is not its own', () => {
    const markers = [
      commentMarker('deploy', { id: 'a' }),
      commentMarker('deploy', { id: 'ab' }),
      commentMarker('validate', { id: 'a' }),
      commentMarker('deploy', { scope }),
      '<!-- kestra-actions:deploy -->', // before markers were per step
    ];
    for (const a of markers) for (const b of markers) if (a !== b) expect(a.includes(b)).toBe(false);
  });
});
