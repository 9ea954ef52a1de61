// Serves an opened street node to browsers: on this machine only (127.0.0.1, plain HTTP), or with
// `lan` on every address of the machine over HTTPS with the node's certificate (./tls.ts), whose
// SHA-256 fingerprint is returned for `start` to print (LAN clients check it) and kept for 设置.

import type { NodeContext } from '../services/core/context';
import type { NodeApi } from '../services/api';
import { startHost, type Host } from './httpHost';
import { clearTlsInfo, nodeTlsCredential, type TlsCredential } from './tls';

export interface ServeOptions {
  storeFile: string;
  port: number;
  rendererDir: string;
  /** Serve the LAN over HTTPS. */
  lan?: boolean;
  /** The address to listen on: 0.0.0.0 with `lan`, else 127.0.0.1 (tests may bind the LAN mode to 127.0.0.1). */
  bind?: string;
}

export interface ServedNode extends Host {
  /** The certificate served (with `lan`), or null. */
  tls: Omit<TlsCredential, 'key'> | null;
}

export async function serveNode(node: { ctx: NodeContext; api: NodeApi }, opts: ServeOptions): Promise<ServedNode> {
  const bind = opts.bind ?? (opts.lan ? '0.0.0.0' : '127.0.0.1');
  if (!opts.lan) {
    await clearTlsInfo(node.ctx);
    return { ...(await startHost(node.ctx, node.api, { port: opts.port, host: bind, rendererDir: opts.rendererDir })), tls: null };
  }
  const cred = await nodeTlsCredential(node.ctx, opts.storeFile);
  const host = await startHost(node.ctx, node.api, { port: opts.port, host: bind, rendererDir: opts.rendererDir, tls: { cert: cred.cert, key: cred.key } });
  const { key: _key, ...shown } = cred;
  return { ...host, tls: shown };
}
