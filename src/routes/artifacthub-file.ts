import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessControl } from '../auth/access-control.js';
import { RegistryError } from '../errors.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { describeRepository, repositoryFromParams, repositoryPrefixes } from '../repositories.js';
import { registerAccessHooks } from './access-hook.js';
import { artifactHubFileSchema } from './schemas/classic-repo.js';

interface ArtifactHubFileOptions {
  lifecycle: Pick<Lifecycle, 'artifactHubFile'>;
  access?: AccessControl;
}

/**
 * `<repo>/artifacthub-repo.yml` beside index.yaml, where Artifact Hub looks for it; 404 when the
 * repository has no metadata, which Artifact Hub reads as "none". Read like index.yaml: whoever may
 * read the repository may read it. Revalidated every time, as it changes when an admin sets it.
 */
export const artifactHubFileRoutes: FastifyPluginAsyncTypebox<ArtifactHubFileOptions> = async (
  app,
  options,
) => {
  registerAccessHooks(app, options.access);
  repositoryPrefixes.forEach((prefix, depth) => {
    const route = { config: { access: 'read' as const }, schema: artifactHubFileSchema(depth) };
    app.get(`${prefix}/artifacthub-repo.yml`, route, async (request, reply) => {
      const repository = repositoryFromParams(request.params);
      const text = await options.lifecycle.artifactHubFile(repository);
      if (text === undefined) {
        throw new RegistryError(
          'FILE_NOT_FOUND',
          `artifacthub-repo.yml not found in ${describeRepository(repository)}: it has no Artifact Hub metadata`,
        );
      }
      return reply
        .header('content-type', 'application/x-yaml')
        .header('cache-control', 'no-cache')
        .send(text);
    });
  });
};
