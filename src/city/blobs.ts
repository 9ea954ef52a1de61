// Content-addressed storage at the city: a street uploads a photo by its sha256 in chunks, and
// after a cut resumes from the size the city already has (the file becomes visible only once its
// bytes hash to its name); the city puts the model bundles it publishes here for streets to fetch.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CityError } from './service';

export const MAX_BLOB = 10 * 1024 * 1024;
const SHA = /^[0-9a-f]{64}$/;

export class BlobStore {
  constructor(private dir: string) {}

  private paths(sha: string) {
    if (!SHA.test(sha)) throw new CityError(400, 'badSha', 'not a sha256');
    const file = path.join(this.dir, sha.slice(0, 2), sha);
    return { file, part: `${file}.part` };
  }

  status(sha: string): { sha256: string; size: number; complete: boolean } {
    const p = this.paths(sha);
    if (fs.existsSync(p.file)) return { sha256: sha, size: fs.statSync(p.file).size, complete: true };
    return { sha256: sha, size: fs.existsSync(p.part) ? fs.statSync(p.part).size : 0, complete: false };
  }

  /** Appends `data` at `offset` (which must equal what the city already has); completes at `total`. */
  append(sha: string, offset: number, total: number, data: Buffer) {
    const p = this.paths(sha);
    if (!Number.isInteger(total) || total <= 0 || total > MAX_BLOB) throw new CityError(400, 'badTotal', `total must be 1..${MAX_BLOB}`);
    const cur = this.status(sha);
    if (cur.complete) return cur;
    if (offset !== cur.size) throw new CityError(409, 'offsetMismatch', `have ${cur.size} bytes, not ${offset}`);
    if (offset + data.length > total) throw new CityError(400, 'tooLong', 'more bytes than announced');
    fs.mkdirSync(path.dirname(p.file), { recursive: true });
    const fd = fs.openSync(p.part, 'a');
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (offset + data.length === total) {
      const hash = crypto.createHash('sha256').update(fs.readFileSync(p.part)).digest('hex');
      if (hash !== sha) {
        fs.rmSync(p.part, { force: true });
        throw new CityError(400, 'hashMismatch', 'uploaded bytes do not match their sha256; start again');
      }
      fs.renameSync(p.part, p.file);
    }
    return this.status(sha);
  }

  /** Stores bytes the city itself publishes (a model bundle); returns their content address. */
  put(data: Buffer): { sha256: string; size: number } {
    const sha = crypto.createHash('sha256').update(data).digest('hex');
    const p = this.paths(sha);
    if (!fs.existsSync(p.file)) {
      fs.mkdirSync(path.dirname(p.file), { recursive: true });
      const tmp = `${p.file}.put-${process.pid}`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, p.file);
    }
    return { sha256: sha, size: data.length };
  }

  /** The bytes of a complete blob. */
  read(sha: string): Buffer {
    const p = this.paths(sha);
    if (!fs.existsSync(p.file)) throw new CityError(404, 'notFound', `no blob ${sha}`);
    return fs.readFileSync(p.file);
  }
}
