import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../errors.js';
import type { Registry } from '../registry.js';
import { checkRepository, repositoryFromParams } from '../repositories.js';
import type { Upload } from '../upload.js';

export interface UploadOptions {
  maxUploadSize: number;
  allowOverwrite: boolean;
  disableForceOverwrite: boolean;
  chartPostFormFieldName: string;
  provPostFormFieldName: string;
}

/**
 * Upload bodies are streamed, never buffered whole: a raw body reaches the handler as the request
 * stream (any content type, as `curl --data-binary` sends form-urlencoded), and multipart parts
 * are staged one by one. A declared Content-Length over the limit is refused before reading.
 * @see https://github.com/fastify/fastify-multipart#usage for the limits
 */
export async function registerUploadParsing(app: FastifyInstance, options: UploadOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  await app.register(multipart, {
    limits: { fileSize: options.maxUploadSize, files: 2, parts: 8, fields: 4, fieldSize: 1024 * 1024 },
  });
  app.addHook('onRequest', async (request) => {
    // A raw upload without a Content-Type (or with an empty one) is still a package.
    if (request.method === 'POST' && !request.headers['content-type']) {
      request.headers['content-type'] = 'application/octet-stream';
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (request.method === 'POST' && declared > options.maxUploadSize) {
      throw new RegistryError(
        'UPLOAD_TOO_LARGE',
        `request too large: the limit is ${options.maxUploadSize} bytes`,
      );
    }
  });
}

/** What an upload route's declared schema gives its handler (schemas/chart-api.ts uploadSchema). */
type UploadRequest = FastifyRequest & {
  params: { r1?: string; r2?: string; r3?: string };
  query: { force?: string };
};

export function uploadRoute(registry: Registry, options: UploadOptions, rawKind: 'chart' | 'provenance') {
  return async (request: UploadRequest, reply: FastifyReply) => {
    const repository = checkRepository(repositoryFromParams(request.params));
    const upload = registry.beginUpload(repository);
    try {
      if (request.isMultipart()) await readForm(request, upload, options);
      else if (rawKind === 'chart') await upload.addChart(rawBody(request));
      else await upload.addProvenance(rawBody(request));
      const saved = await upload.commit({ overwrite: overwriteAllowed(request, options) });
      request.log.info({ repository, ...saved }, 'chart published');
    } finally {
      await upload.discard();
    }
    return reply.code(201).send({ saved: true });
  };
}

/** `?force` counts by presence, as in ChartMuseum (`?force=false` forces too). */
function overwriteAllowed(request: UploadRequest, options: UploadOptions): boolean {
  const forced = request.query.force !== undefined;
  return options.allowOverwrite || (forced && !options.disableForceOverwrite);
}

function rawBody(request: FastifyRequest): Readable {
  const body = request.body;
  if (body instanceof Readable) return body;
  return Readable.from([]);
}

async function readForm(request: FastifyRequest, upload: Upload, options: UploadOptions): Promise<void> {
  const { chartPostFormFieldName: chartField, provPostFormFieldName: provField } = options;
  let seen = false;
  const parts = request.parts()[Symbol.asyncIterator]();
  for (;;) {
    const next = await parts.next().catch((err: unknown) => Promise.reject(malformedForm(err)));
    if (next.done) break;
    const part = next.value;
    const source = part.type === 'file' ? part.file : Readable.from([Buffer.from(String(part.value))]);
    try {
      if (part.fieldname === chartField) await upload.addChart(source);
      else if (part.fieldname === provField) await upload.addProvenance(source);
      else {
        source.resume();
        continue;
      }
    } catch (err) {
      // Only an error the form stream itself failed with is the parser's; storage errors stay 5xx.
      throw source.errored === err ? malformedForm(err) : err;
    }
    seen = true;
  }
  if (!seen) {
    throw new RegistryError(
      'UPLOAD_EMPTY',
      `no package or provenance file found in form fields ${chartField} and ${provField}`,
    );
  }
}

/**
 * busboy reports a malformed or truncated body (no boundary, unexpected end) as a bare Error with
 * neither a code nor a status; that is the client's fault, so it becomes a 400, not a 500.
 */
function malformedForm(err: unknown): unknown {
  if (err instanceof Error && !(err instanceof RegistryError) && !('code' in err) && !('statusCode' in err)) {
    return new RegistryError('UPLOAD_EMPTY', `the multipart body is malformed: ${err.message}`);
  }
  return err;
}
