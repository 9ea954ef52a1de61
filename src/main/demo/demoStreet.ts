// The whole demo street, as both the node (on a new store) and `npm run demo:seed` make it: the
// street with its tickets, the coordination demo (supervision, 吹哨报到, reviews, run modes), and
// the `demo` setting that shows the demo accounts on the login screen. The node's one way into the
// demo (src/main/node.ts loads this module only when it needs it).

import type { NodeContext } from '../services/core/context';
import { setSetting } from '../services/core/settings';
import { seedDemoStreet, type SeedOptions, type SeedResult } from './seed';
import { seedCoordinationDemo } from './coordination';

export { demoUsers } from './org';

export async function seedWholeDemo(ctx: NodeContext, opts: SeedOptions = {}): Promise<SeedResult> {
  const r = await seedDemoStreet(ctx.store, opts);
  await seedCoordinationDemo(ctx);
  await setSetting(ctx.store.db, 'demo', true);
  return r;
}
