// The live channel: Server-Sent Events to every connected street. Feed items (directives, 12345
// dispatches) are written to the street's open streams the moment they are committed; streets that
// are not connected get them by polling the feed.

import type http from 'node:http';
import type { FeedItem } from '../shared/sync/protocol';

export class LiveHub {
  private streams = new Map<string, Set<http.ServerResponse>>();
  private timer: NodeJS.Timeout;

  /** At most this many open streams per street (a street node holds one; a few spare for restarts). */
  constructor(heartbeatMs = 15_000, readonly maxPerStreet = 4) {
    this.timer = setInterval(() => {
      for (const set of this.streams.values()) for (const res of set) if (!res.destroyed) res.write(': ping\n\n');
    }, heartbeatMs);
    this.timer.unref();
  }

  /** Whether another stream may open for `street` (callers answer 429 when not). */
  hasRoom(street: string): boolean {
    return (this.streams.get(street)?.size ?? 0) < this.maxPerStreet;
  }

  attach(street: string, req: http.IncomingMessage, res: http.ServerResponse, latestSeq: number): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.socket?.setNoDelay(true);
    res.write(`event: hello\ndata: ${JSON.stringify({ street, latestSeq })}\n\n`);
    let set = this.streams.get(street);
    if (!set) this.streams.set(street, (set = new Set()));
    set.add(res);
    const drop = () => {
      set!.delete(res);
      if (!set!.size) this.streams.delete(street);
    };
    req.on('close', drop);
    res.on('error', drop);
  }

  /** Sends items to their streets' streams; returns how many streams were written. */
  publish(items: Array<FeedItem & { street: string }>): number {
    let n = 0;
    for (const it of items) {
      const set = this.streams.get(it.street);
      if (!set) continue;
      const { street: _s, ...item } = it;
      const frame = `event: feed\nid: ${item.seq}\ndata: ${JSON.stringify(item)}\n\n`;
      for (const res of set) {
        res.write(frame);
        n++;
      }
    }
    return n;
  }

  /** Ends a street's streams (its certificate was revoked). */
  disconnect(street: string): void {
    for (const res of this.streams.get(street) ?? []) res.destroy();
    this.streams.delete(street);
  }

  connected(): string[] {
    return [...this.streams.keys()];
  }

  close(): void {
    clearInterval(this.timer);
    for (const set of this.streams.values()) for (const res of set) res.end();
    this.streams.clear();
  }
}
