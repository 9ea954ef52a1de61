// One assistant per street node context (created on first use, closed with the node).

import type { NodeContext } from '../core/context';
import { AiService, type AiServiceOptions } from './text';

const services = new WeakMap<NodeContext, AiService>();
let defaults: AiServiceOptions = {};

/** Options for assistants created from now on (e.g. tests pointing at a broken model). */
export function setAiDefaults(o: AiServiceOptions): void {
  defaults = o;
}

export function aiServiceFor(ctx: NodeContext, opts?: AiServiceOptions): AiService {
  let s = services.get(ctx);
  if (!s) {
    s = new AiService(ctx, opts ?? defaults);
    services.set(ctx, s);
  }
  return s;
}

export async function closeAi(ctx: NodeContext): Promise<void> {
  const s = services.get(ctx);
  services.delete(ctx);
  await s?.close();
}
