import { createHash } from 'node:crypto';
import { accountStyles } from './static/account-styles.js';
import { script } from './static/script.js';
import { searchStyles } from './static/search-styles.js';
import { styles } from './static/styles.js';
import { themeScript } from './static/theme-script.js';

export interface Asset {
  /** the file name under /ui/static/, with a content hash so it can be cached for a year */
  file: string;
  contentType: string;
  body: Buffer;
  etag: string;
}

function asset(name: string, extension: string, contentType: string, text: string): Asset {
  const body = Buffer.from(text);
  const hash = createHash('sha256').update(body).digest('hex');
  return { file: `${name}.${hash.slice(0, 12)}.${extension}`, contentType, body, etag: `"${hash}"` };
}

export const stylesheet = asset(
  'charthouse',
  'css',
  'text/css; charset=utf-8',
  styles + accountStyles + searchStyles,
);
export const clientScript = asset('charthouse', 'js', 'text/javascript; charset=utf-8', script + themeScript);

export const assetsByFile: ReadonlyMap<string, Asset> = new Map(
  [stylesheet, clientScript].map((a) => [a.file, a]),
);
