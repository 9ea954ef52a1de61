// The photo worker thread: answers requests in order, reports a model that cannot load, and is
// started afresh when it dies after loading.
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { PhotoAnalyseError, PhotoWorkerClient } from '../../src/main/ai/photo/client';
import { devPhotos } from '../support/photos';
import { tempDir } from '../support/fixture';

const photos = devPhotos();

describe('photo worker', () => {
  it('analyses in a worker thread, names undecodable files, and restarts after a crash', async () => {
    const c = new PhotoWorkerClient();
    expect((await c.start()).state).toBe('ready');
    const a = await c.analyse(photos[0]!, 'a.jpg');
    expect(a.top.length).toBeGreaterThan(0);
    expect(a.embedding).toHaveLength(1280);
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
    await expect(c.analyse(__filename, 'x.ts')).rejects.toMatchObject({ kind: 'decode' });
    // Concurrent requests are queued in the worker and each gets its own answer.
    const [b, d] = await Promise.all([c.analyse(photos[1]!, 'b.jpg'), c.analyse(photos[3]!, 'd.jpg')]);
    expect(b.hash).not.toBe(d.hash);
    // The worker dies: the request in flight fails, the next one gets a new worker.
    const w = (c as unknown as { worker: Worker }).worker;
    const inFlight = c.analyse(photos[4]!, 'e.jpg');
    await w.terminate();
    await expect(inFlight).rejects.toBeInstanceOf(PhotoAnalyseError);
    const again = await c.analyse(photos[4]!, 'e.jpg');
    expect(again.embedding).toHaveLength(1280);
    expect(c.state.state).toBe('ready');
    await c.close();
  });

  it('reports a model directory without a model as unavailable, and stays so', async () => {
    const c = new PhotoWorkerClient({ modelDir: tempDir() });
    const s = await c.start();
    expect(s).toMatchObject({ state: 'unavailable', reason: expect.stringContaining('cannot read model files') });
    await expect(c.analyse(photos[0]!, 'a.jpg')).rejects.toMatchObject({ kind: 'unavailable' });
    await c.close();
  });
});
