import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RepositoryAccess, Role, Visibility } from '../../src/auth/auth-store.js';
import { type AccessQuestion, type Action, type Decision, decide } from '../../src/auth/policy.js';

const principals = { anonymous: undefined, user: { admin: false }, admin: { admin: true } } as const;
const repositories: Record<string, RepositoryAccess | undefined> = {
  missing: undefined,
  'unset, no role': {},
  'public, no role': { visibility: 'public' },
  'private, no role': { visibility: 'private' },
  'private, read': { visibility: 'private', role: 'read' },
  'private, write': { visibility: 'private', role: 'write' },
  'private, admin': { visibility: 'private', role: 'admin' },
  'public, read': { visibility: 'public', role: 'read' },
  'public, write': { visibility: 'public', role: 'write' },
  'unset, write': { role: 'write' },
};
const actions: Action[] = ['read', 'write', 'delete'];
const defaults: Visibility[] = ['public', 'private'];

function ask(
  principal: keyof typeof principals,
  repository: string,
  action: Action,
  defaultVisibility: Visibility = 'public',
  enforcing = true,
): Decision {
  const q: AccessQuestion = { enforcing, defaultVisibility, action };
  const p = principals[principal];
  if (p) q.principal = p;
  const r = repositories[repository];
  if (r) q.repository = r;
  return decide(q);
}

// [principal, repository, default visibility, read, write, delete], written out by hand.
const table: Array<[keyof typeof principals, string, Visibility, Decision, Decision, Decision]> = [
  ['anonymous', 'missing', 'public', 'challenge', 'challenge', 'challenge'],
  ['anonymous', 'unset, no role', 'public', 'allow', 'challenge', 'challenge'],
  ['anonymous', 'unset, no role', 'private', 'challenge', 'challenge', 'challenge'],
  ['anonymous', 'public, no role', 'private', 'allow', 'challenge', 'challenge'],
  ['anonymous', 'private, no role', 'public', 'challenge', 'challenge', 'challenge'],
  ['user', 'missing', 'public', 'hide', 'hide', 'hide'],
  ['user', 'unset, no role', 'public', 'allow', 'forbid', 'forbid'],
  ['user', 'unset, no role', 'private', 'hide', 'hide', 'hide'],
  ['user', 'public, no role', 'public', 'allow', 'forbid', 'forbid'],
  ['user', 'private, no role', 'public', 'hide', 'hide', 'hide'],
  ['user', 'private, read', 'public', 'allow', 'forbid', 'forbid'],
  ['user', 'private, write', 'public', 'allow', 'allow', 'forbid'],
  ['user', 'private, admin', 'public', 'allow', 'allow', 'allow'],
  ['user', 'public, read', 'public', 'allow', 'forbid', 'forbid'],
  ['user', 'public, write', 'private', 'allow', 'allow', 'forbid'],
  ['user', 'unset, write', 'private', 'allow', 'allow', 'forbid'],
  ['admin', 'missing', 'private', 'allow', 'allow', 'allow'],
  ['admin', 'private, no role', 'private', 'allow', 'allow', 'allow'],
];

for (const [principal, repository, defaultVisibility, read, write, del] of table) {
  test(`${principal} on a repository (${repository}; default ${defaultVisibility}): read ${read}, write ${write}, delete ${del}`, () => {
    assert.deepEqual(
      actions.map((action) => ask(principal, repository, action, defaultVisibility)),
      [read, write, del],
    );
  });
}

test('when access control is not enforced, every question is allowed', () => {
  for (const principal of Object.keys(principals) as Array<keyof typeof principals>)
    for (const repository of Object.keys(repositories))
      for (const action of actions)
        for (const d of defaults) assert.equal(ask(principal, repository, action, d, false), 'allow');
});

test('a server admin is allowed everything, and only a server admin may act on a missing repository', () => {
  for (const repository of Object.keys(repositories))
    for (const action of actions)
      for (const d of defaults) assert.equal(ask('admin', repository, action, d), 'allow');
  for (const action of actions) assert.notEqual(ask('user', 'missing', action), 'allow');
});

test('without credentials the answer is allow or challenge, never a 403 or a 404 that would leak a name', () => {
  for (const repository of Object.keys(repositories))
    for (const action of actions)
      for (const d of defaults)
        assert.ok(['allow', 'challenge'].includes(ask('anonymous', repository, action, d)));
});

test('a member is never hidden from their repository, and a higher role never loses a right', () => {
  const rank: Record<Decision, number> = { hide: 0, challenge: 0, forbid: 1, allow: 2 };
  const byRole: Array<[Role, string]> = [
    ['read', 'private, read'],
    ['write', 'private, write'],
    ['admin', 'private, admin'],
  ];
  for (const action of actions) {
    const decisions = byRole.map(([, repository]) => ask('user', repository, action));
    assert.ok(!decisions.includes('hide'));
    for (let i = 1; i < decisions.length; i++) {
      assert.ok(
        rank[decisions[i] as Decision] >= rank[decisions[i - 1] as Decision],
        `${action}: ${decisions}`,
      );
    }
  }
});
