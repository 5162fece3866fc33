/**
 * Uploaded files, kept in a private temporary folder for an hour so that one upload serves the dry run,
 * the import and the header preview without sending the file again.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { fail } from '../core/errors.js';
import type { Upload } from '../api/schemas.js';
import { emptyFileError } from '../formats/file-error.js';
import { sizeText } from './errors.js';

const KEEP_MS = 3600_000;

interface Stored {
  readonly upload: Upload;
  readonly workspace: string;
  readonly path: string;
}

export class Uploads {
  private dir: Promise<string> | undefined;
  private readonly files = new Map<string, Stored>();

  constructor(
    private readonly clock: () => Date,
    /** The largest file in bytes (the multipart limit, which cuts a longer file short). */
    private readonly limit: number,
  ) {}

  private folder(): Promise<string> {
    this.dir ??= mkdtemp(join(tmpdir(), 'abgleich-uploads-'));
    return this.dir;
  }

  async store(workspace: string, name: string, stream: Readable & { truncated?: boolean }): Promise<Upload> {
    await this.prune();
    const id = randomUUID();
    const path = join(await this.folder(), id);
    await pipeline(stream, createWriteStream(path, { mode: 0o600 }));
    if (stream.truncated) {
      await rm(path, { force: true });
      fail('too_large', `The file "${name}" is larger than the upload limit of ${sizeText(this.limit)}.`, {
        file: name,
        limitBytes: this.limit,
      });
    }
    const handle = await open(path, 'r');
    const head = Buffer.alloc(4);
    let size: number;
    try {
      await handle.read(head, 0, 4, 0);
      size = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
    if (size === 0) {
      await rm(path, { force: true });
      throw emptyFileError(name);
    }
    const zip = head[0] === 0x50 && head[1] === 0x4b;
    const upload: Upload = {
      id,
      name,
      size,
      format: zip ? 'xlsx' : 'csv',
      expiresAt: new Date(this.clock().getTime() + KEEP_MS).toISOString(),
    };
    this.files.set(id, { upload, workspace, path });
    return upload;
  }

  /** The stored file of upload `id`; not_found when it is unknown, expired or of another workspace. */
  get(id: string, workspace: string): { upload: Upload; path: string } {
    const s = this.files.get(id);
    if (!s || s.workspace !== workspace || Date.parse(s.upload.expiresAt) < this.clock().getTime())
      fail('not_found', `There is no upload ${id} (uploads are kept for an hour); upload the file again.`);
    return s;
  }

  private async prune(): Promise<void> {
    const now = this.clock().getTime();
    for (const [id, s] of this.files) {
      if (Date.parse(s.upload.expiresAt) < now) {
        this.files.delete(id);
        await rm(s.path, { force: true });
      }
    }
  }

  async close(): Promise<void> {
    if (this.dir) await rm(await this.dir, { recursive: true, force: true });
    this.files.clear();
  }
}
