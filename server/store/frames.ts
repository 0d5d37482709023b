/**
 * Framing shared by the plans' logs and the journal: `[u32 length][u32 crc32][payload]`. A
 * frame torn by a crash fails its checksum; readers stop there, so a file is always readable up
 * to its last whole frame. And the file operations both use: durable appends, directory sync.
 */
import { constants as fsConstants, fdatasync, promises as fs, write } from 'node:fs';
import { crc32 } from 'node:zlib';

export const FRAME_HEADER = 8;

/** One buffer holding each payload as a frame, in order. */
export function encodeFrames(payloads: readonly Uint8Array[]): Buffer {
  const bytes = Buffer.allocUnsafe(payloads.reduce((total, payload) => total + FRAME_HEADER + payload.length, 0));
  let at = 0;
  for (const payload of payloads) {
    bytes.writeUInt32LE(payload.length, at);
    bytes.writeUInt32LE(crc32(payload), at + 4);
    bytes.set(payload, at + FRAME_HEADER);
    at += FRAME_HEADER + payload.length;
  }
  return bytes;
}

/** Split frames; stops at the first torn or corrupt frame. */
export function parseFrames(bytes: Uint8Array): { frames: Uint8Array[]; validBytes: number } {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Uint8Array[] = [];
  let pos = 0;
  while (pos + FRAME_HEADER <= view.length) {
    const length = view.readUInt32LE(pos);
    const checksum = view.readUInt32LE(pos + 4);
    const end = pos + FRAME_HEADER + length;
    if (end > view.length) break;
    const payload = view.subarray(pos + FRAME_HEADER, end);
    if (crc32(payload) !== checksum) break;
    frames.push(new Uint8Array(payload));
    pos = end;
  }
  return { frames, validBytes: pos };
}

/**
 * O_DSYNC where the platform has it (Linux, macOS): a write returns once its data is on disk,
 * in one trip to the thread pool instead of two (write, then fdatasync). Elsewhere (Windows)
 * an fdatasync follows each durable write.
 */
export const DSYNC = fsConstants.O_DSYNC as number | undefined;

/**
 * Write all of `bytes` at the end of an O_APPEND file (fs callbacks, not FileHandle promises:
 * saves are frequent, and the promises cost several times more on the event loop). `durable`:
 * the file was opened with DSYNC, or an fdatasync follows.
 */
export function writeAll(fd: number, bytes: Uint8Array, durable: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const from = (offset: number): void => {
      write(fd, bytes, offset, bytes.length - offset, null, (error, written) => {
        if (error) return reject(error);
        if (offset + written < bytes.length) return from(offset + written);
        if (!durable || DSYNC) return resolve();
        fdatasync(fd, (syncError) => (syncError ? reject(syncError) : resolve()));
      });
    };
    from(0);
  });
}

/**
 * Make a directory's entries durable (a file created or removed in it): without this a file
 * whose data is on disk may be missing from its directory after a crash of the machine.
 */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, fsConstants.O_RDONLY);
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
