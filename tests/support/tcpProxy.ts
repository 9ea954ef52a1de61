// A TCP proxy between the street and the city for fault tests: it forwards bytes untouched (TLS
// stays end to end) and, on demand, cuts every connection, stalls them, holds back a response
// (cut after the city answered but before the street heard it), or delays new connections.

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
      client.on('close', () => upstream.destroy());
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
        if (this.stalled) {
          if (!pending.length) flushLater();
          pending.push([upstream, b]);
        } else upstream.write(b);
      });
      upstream.on('data', (b: Buffer) => {
        if (process.env.DEBUG_PROXY) console.error("down", b.length, armed);
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
