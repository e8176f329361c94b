/**
 * Whether a GET or HEAD may answer 304 (RFC 9110 §13.1): `If-None-Match` decides when present;
 * only without it is `If-Modified-Since` read, and then a resource last modified at or before that
 * date is unchanged. An unparsable date is ignored, as the RFC says, and the answer is the document.
 */
export function notModified(
  headers: { 'if-none-match'?: string; 'if-modified-since'?: string },
  etag: string,
  lastModified: string,
): boolean {
  if (headers['if-none-match'] !== undefined) return matchesEtag(headers['if-none-match'], etag);
  const since = Date.parse(headers['if-modified-since'] ?? '');
  const modified = Date.parse(lastModified);
  // HTTP dates have whole seconds; the stored time may have milliseconds
  return !Number.isNaN(since) && !Number.isNaN(modified) && Math.floor(modified / 1000) * 1000 <= since;
}

export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
