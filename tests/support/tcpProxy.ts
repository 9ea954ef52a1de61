// A TCP proxy between the street and the city for fault tests: it forwards bytes untouched (TLS
// stays end to end) and, on demand, cuts every connection, stalls them, holds back a response
// (cut after the city answered but before the street heard it), delays new connections, or
// reorders requests (holds the rest of one connection's upload and delivers it after newer ones).

import net from 'node:net';

export class TcpProxy {
  private server: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;
  /** Drop new connections at once. */
  refuse = false;
  /** Stop forwarding (both ways) without closing. */
  stalled = false;
  /**
   * Once a connection has carried more than this many bytes from the street, the next bytes from
   * the city are swallowed and both sides are cut: the city has done the work, the street never
   * hears it. One-shot.
   */
  cutResponseAfterUpload: number | null = null;
  /**
   * Reorder: the next connection that uploads more than this many bytes has the rest of its upload
   * held back — the city sees a partial request and waits — and its city side kept open after the
   * street gives up on it, until releaseHeld() delivers the old request late. One-shot.
   */
  holdUploadAfter: number | null = null;
  private held: { upstream: net.Socket; chunks: Buffer[]; answered: Promise<void>; answer: () => void } | null = null;
  /** Extra delay before a new connection is wired up (ms). */
  connectDelayMs = 0;
  cuts = 0;
  /** Called with the size of every chunk from the street. */
  onUpload: ((bytes: number) => void) | null = null;

  constructor(private targetPort: number, private targetHost = '127.0.0.1') {
    this.server = net.createServer((client) => this.onClient(client));
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  setTarget(port: number) {
    this.targetPort = port;
  }

  private onClient(client: net.Socket) {
    if (this.refuse) {
      client.destroy();
      return;
    }
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => {});
    const wire = () => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      this.sockets.add(upstream);
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
      let holding = false;
      // A held connection's city side outlives the street's side (that is the point).
      client.on('close', () => holding || upstream.destroy());
      let uploaded = 0;
      let armed = false;
      const pending: Array<[net.Socket, Buffer]> = [];
      const flushLater = () => {
        const t = setInterval(() => {
          if (this.stalled) return;
          clearInterval(t);
          for (const [s, b] of pending.splice(0)) s.write(b);
        }, 20);
      };
      client.on('data', (b: Buffer) => {
        uploaded += b.length;
        this.onUpload?.(b.length);
        if (process.env.DEBUG_PROXY) console.error("up", b.length, uploaded);
        if (this.cutResponseAfterUpload != null && uploaded > this.cutResponseAfterUpload) armed = true;
        if (!holding && this.holdUploadAfter != null && uploaded > this.holdUploadAfter) {
          this.holdUploadAfter = null;
          holding = true;
          let answer = () => {};
          const answered = new Promise<void>((r) => (answer = r));
          this.held = { upstream, chunks: [], answered, answer };
        }
        if (holding) {
          this.held?.chunks.push(b);
          return;
        }
        if (this.stalled) {
          if (!pending.length) flushLater();
          pending.push([upstream, b]);
        } else upstream.write(b);
      });
      upstream.on('data', (b: Buffer) => {
        if (process.env.DEBUG_PROXY) console.error("down", b.length, armed);
        if (holding && this.held?.upstream === upstream) {
          // The late request was answered; the street is long gone. (Small records first may be TLS housekeeping.)
          if (b.length > 200) this.held.answer();
          return;
        }
        // (Records up to a few kB are TLS housekeeping such as session tickets after a client-certificate handshake; the answer to a push is bigger.)
        if (armed && this.cutResponseAfterUpload != null && b.length > 4000) {
          this.cutResponseAfterUpload = null;
          this.cuts++;
          client.destroy();
          upstream.destroy();
          return;
        }
        if (this.stalled) {
          if (!pending.length) flushLater();
          pending.push([client, b]);
        } else client.write(b);
      });
    };
    if (this.connectDelayMs) setTimeout(wire, this.connectDelayMs);
    else wire();
  }

  /** Delivers the held upload to the city; resolves once the city has answered it. */
  async releaseHeld(): Promise<void> {
    const h = this.held;
    if (!h) throw new Error('nothing is held');
    for (const b of h.chunks.splice(0)) h.upstream.write(b);
    h.upstream.on('close', h.answer);
    await h.answered;
    this.held = null;
    h.upstream.destroy();
  }

  /** Cuts every open connection. */
  cutAll() {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.cuts++;
  }

  async close() {
    this.cutAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
