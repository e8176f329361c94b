import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBlobStoreUrl } from '../../src/store/s3-client.js';

test('an s3:// URL names a bucket and an optional key prefix without surrounding slashes', () => {
  assert.deepEqual(parseBlobStoreUrl('s3://charts'), { bucket: 'charts', prefix: '' });
  assert.deepEqual(parseBlobStoreUrl('s3://charts/'), { bucket: 'charts', prefix: '' });
  assert.deepEqual(parseBlobStoreUrl('s3://my.charts-01/prod/helm/'), {
    bucket: 'my.charts-01',
    prefix: 'prod/helm',
  });
});

test('a blob store URL that is not s3://bucket/prefix is refused with the reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['charts', /does not start with s3:\/\//],
    ['https://charts/prefix', /does not start with s3:\/\//],
    ['s3://', /"" is not a bucket name/],
    ['s3://Charts/x', /"Charts" is not a bucket name/],
    ['s3://ab', /"ab" is not a bucket name/],
    ['s3://bucket_name', /is not a bucket name/],
    ['s3://charts/a//b', /segment ""/],
    ['s3://charts/a/../b', /segment "\.\."/],
    ['s3://charts/a b', /segment "a b"/],
    ['s3://charts/x?versioning', /query or fragment/],
  ];
  for (const [url, reason] of cases) {
    assert.throws(
      () => parseBlobStoreUrl(url),
      (err: Error) => err.message.startsWith(`blob store "${url}" is not valid`) && reason.test(err.message),
      url,
    );
  }
});
