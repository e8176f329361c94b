import type { FastifyPluginAsync } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { Accounts } from '../auth/accounts.js';
import type { UiSessions } from '../auth/ui-sessions.js';
import type { Registry } from '../registry.js';
import type { UiPageKit } from './ui-forms.js';
import { memberRoutes } from './ui-members.js';
import { signInRoutes } from './ui-session.js';
import { tokenRoutes } from './ui-tokens.js';
import { uploadRoutes } from './ui-upload.js';
import type { UploadOptions } from './upload-handlers.js';
import type { UploadSlots } from './upload-slots.js';

/** What the signed-in pages need beyond the read-only UI's options. */
export interface UiAccountOptions {
  sessions: UiSessions;
  /** the UI's access control: the session's user, or the Authorization header's */
  access: AccessControl;
  accounts: Accounts;
  registry: Registry;
  upload: UploadOptions;
  slots: UploadSlots;
  /** false with --disable-api: no upload page either */
  allowUpload: boolean;
}

/**
 * The pages behind sign-in, each in its own plugin so that only the upload page parses
 * multipart: sign-in and -out, API tokens, repository members, chart upload.
 */
export const uiAccountRoutes: FastifyPluginAsync<
  UiAccountOptions & UiPageKit & { contextPath: string }
> = async (app, options) => {
  await app.register(signInRoutes, options);
  await app.register(tokenRoutes, options);
  await app.register(memberRoutes, options);
  if (options.allowUpload) await app.register(uploadRoutes, options);
};
