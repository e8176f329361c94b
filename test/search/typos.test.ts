import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedTypos, editDistance } from '../../src/search/edit-distance.js';
import { buildTypoIndex } from '../../src/search/typo-index.js';

test('edit distance counts inserts, deletes, substitutions and swapped neighbours, up to its bound', () => {
  assert.equal(editDistance('promethues', 'prometheus', 2), 1);
  assert.equal(editDistance('postgress', 'postgresql', 2), 2);
  assert.equal(editDistance('redis', 'redis', 2), 0);
  assert.equal(editDistance('kafka', 'kafak', 2), 1);
  assert.equal(editDistance('nginx', 'ngnix', 1), 1);
  // beyond the bound it answers bound + 1, never the true distance
  assert.equal(editDistance('mysql', 'postgresql', 2), 3);
  assert.equal(editDistance('a', 'abcdef', 2), 3);
});

test('short words are never corrected, longer ones by one edit, long ones by two', () => {
  assert.deepEqual([3, 4, 6, 7, 12].map(allowedTypos), [0, 1, 1, 2, 2]);
});

test('corrections come from trigram candidates and from near lengths when trigrams cannot tell', () => {
  const index = buildTypoIndex(
    new Map([
      ['postgresql', 3],
      ['postgres', 1],
      ['prometheus', 2],
      ['kafka', 1],
      ['redis', 1],
    ]),
  );
  assert.deepEqual(index.corrections('promethues', 3), [{ word: 'prometheus', distance: 1 }]);
  assert.deepEqual(index.corrections('postgress', 3), [
    { word: 'postgres', distance: 1 },
    { word: 'postgresql', distance: 2 },
  ]);
  // 'kafak' shares too few trigrams for the q-gram bound to prune: found by length instead
  assert.deepEqual(index.corrections('kafak', 3), [{ word: 'kafka', distance: 1 }]);
  assert.deepEqual(index.corrections('rds', 3), [], 'three letters are not guessed at');
  assert.deepEqual(index.corrections('redis', 3), [], 'a word is never its own correction');
});
