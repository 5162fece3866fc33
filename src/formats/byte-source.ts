/**
 * The bytes of a file to read: a path (streamed, never read whole) or a Buffer (small uploads).
 * Counts the bytes handed out so that readers can report progress.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { FileReadError } from './file-error.js';

export type ReadInput = string | Uint8Array;

const CHUNK = 1 << 16;

export class ByteSource {
  private consumed = 0;

  private constructor(
    /** The name used in messages: the file's base name, or the name given for a buffer. */
    readonly name: string,
    readonly size: number,
    private readonly path: string | undefined,
    private readonly buffer: Buffer | undefined,
  ) {}

  static async open(input: ReadInput, name?: string): Promise<ByteSource> {
    if (typeof input !== 'string') {
      const buffer = Buffer.isBuffer(input)
        ? input
        : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      return new ByteSource(name ?? 'upload', buffer.length, undefined, buffer);
    }
    const display = name ?? basename(input);
    try {
      const info = await stat(input);
      if (!info.isFile()) throw new Error('not a regular file');
      return new ByteSource(display, info.size, input, undefined);
    } catch (cause) {
      throw new FileReadError('io', { file: display }, `cannot open the file (${(cause as Error).message})`, {
        cause,
      });
    }
  }

  /** `length` bytes from `position` (fewer at the end of the file). */
  async slice(position: number, length: number): Promise<Buffer> {
    const start = Math.max(0, position);
    if (this.buffer) return this.buffer.subarray(start, start + length);
    const handle = await open(this.path!, 'r');
    try {
      const out = Buffer.alloc(Math.min(length, Math.max(0, this.size - start)));
      const { bytesRead } = await handle.read(out, 0, out.length, start);
      return out.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** A fresh pass over all bytes; does not count towards progress. */
  async *scan(): AsyncGenerator<Buffer> {
    if (this.buffer) {
      yield* chunksOf(this.buffer);
      return;
    }
    for await (const chunk of createReadStream(this.path!, { highWaterMark: CHUNK })) yield chunk as Buffer;
  }

  /** The pass the reader makes; what it has taken counts as progress. */
  async *chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of this.scan()) {
      this.consumed += chunk.length;
      yield chunk;
    }
  }

  /** `chunks()` as a byte stream, for libraries that want one; or only `ranges` ([start, end)), in that order. */
  stream(ranges?: readonly (readonly [number, number])[]): Readable {
    return Readable.from(ranges ? this.rangeChunks(ranges) : this.chunks(), { objectMode: false });
  }

  private async *rangeChunks(ranges: readonly (readonly [number, number])[]): AsyncGenerator<Buffer> {
    for (const [start, end] of ranges) {
      if (end <= start) continue;
      const chunks = this.buffer
        ? chunksOf(this.buffer.subarray(start, end))
        : createReadStream(this.path!, { start, end: end - 1, highWaterMark: CHUNK });
      for await (const chunk of chunks) {
        this.consumed += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    }
  }

  /** How much of the file the reader has taken, 0 … 1. */
  progress(): number {
    return this.size === 0 ? 1 : Math.min(1, this.consumed / this.size);
  }
}

function* chunksOf(buffer: Buffer): Generator<Buffer> {
  for (let at = 0; at < buffer.length; at += CHUNK) yield buffer.subarray(at, at + CHUNK);
}
