// The step marker is shared by the GitHub comment and the GitLab note. Its strings are pinned: every one
// already posted must still be found, or a re-run posts a second comment instead of editing its own.
import { describe, expect, it } from '@jest/globals';
import { stepMarker, type MarkedStep } from '../../src/render/marker.js';

const step: MarkedStep = { directory: 'flows', include: [], exclude: [] };
const server = 'https://kestra.example.com';

describe('stepMarker', () => {
  it.each<[string, 'validate' | 'deploy', MarkedStep, string]>([
    ['offline', 'validate', step, '51f2dc61f635b5d6'],
    ['the same folder written otherwise', 'validate', { ...step, directory: './flows/' }, '51f2dc61f635b5d6'],
    [
      'a server, case and trailing slash aside',
      'validate',
      { ...step, server: 'https://Kestra.example.com/' },
      'ca747c025aa46f02',
    ],
    [
      'credentials in the URL and a tenant',
      'validate',
      { ...step, server: 'https://user:pw@kestra.example.com', tenant: ' acme ' },
      '581a9638c5c01a1c',
    ],
    [
      'a flows deploy (its `to` does not count)',
      'deploy',
      {
        ...step,
        include: ['**/*.yml'],
        exclude: ['tmp/**'],
        server,
        resource: 'flows',
        namespace: 'company.team',
        to: '/',
      },
      '9cb110d3984b1048',
    ],
    [
      'a namespace-files deploy',
      'deploy',
      {
        ...step,
        directory: 'files',
        server,
        resource: 'namespace-files',
        namespace: 'company.team',
        to: '/scripts',
      },
      '98eb21eb04adf6ad',
    ],
    ['a comment-id', 'deploy', { ...step, server, commentId: 'prod -->' }, 'id=prod%20--%3E'],
  ])('is the one already posted: %s', (_, action, s, tail) => {
    expect(stepMarker(action, s)).toBe(`<!-- kestra-actions:${action}:${tail} -->`);
  });

  it('keeps a blank server offline and tells steps apart by what they do', () => {
    expect(stepMarker('validate', { ...step, server: '  ' })).toBe(stepMarker('validate', step));
    const markers = [
      stepMarker('validate', step),
      stepMarker('deploy', step),
      stepMarker('validate', { ...step, server }),
      stepMarker('validate', { ...step, server, tenant: 'other' }),
      stepMarker('validate', { ...step, include: ['a/**'] }),
      stepMarker('validate', { ...step, exclude: ['a/**'] }),
      stepMarker('deploy', { ...step, resource: 'namespace-files', to: '/a' }),
      stepMarker('deploy', { ...step, resource: 'namespace-files', to: '/b' }),
    ];
    expect(new Set(markers).size).toBe(markers.length);
  });

  it('never holds the server, even without credentials', () => {
    expect(stepMarker('deploy', { ...step, server: 'https://kestra.internal.acme' })).not.toMatch(
      /acme|internal/,
    );
  });
});
