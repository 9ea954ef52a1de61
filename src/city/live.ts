// The live channel: Server-Sent Events to every connected street. Feed items (directives, 12345
// dispatches) are written to the street's open streams the moment they are committed; streets that
// are not connected get them by polling the feed.

import type http from 'node:http';
import type { FeedItem } from '../shared/sync/protocol';

export class LiveHub {
  private streams = new Map<string, Set<http.ServerResponse>>();
  private timer: NodeJS.Timeout;

  constructor(heartbeatMs = 15_000) {
    this.timer = setInterval(() => {
      for (const set of this.streams.values()) for (const res of set) res.write(': ping\n\n');
    }, heartbeatMs);
    this.timer.unref();
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

  connected(): string[] {
    return [...this.streams.keys()];
  }

  close(): void {
    clearInterval(this.timer);
    for (const set of this.streams.values()) for (const res of set) res.end();
    this.streams.clear();
  }
}
