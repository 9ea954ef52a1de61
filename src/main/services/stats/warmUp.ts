// The statistics' kept parts (./keptParts) computed once in the background after the node starts,
// for the 24 whole months before the current one: the first 统计分析 view of a year, the year's
// trend or 按季施策 then finds its 旬 kept instead of computing each (seconds on 1,000,000
// tickets). Stops between steps when the node closes.

import { addMonths, dateOf, periodBounds, periodContaining } from '../../../shared/stats/period';
import type { NodeContext } from '../core/context';
import { countFigures, receivedByDay, resolveMinutes, type Grouping } from './counts';

export const WARM_MONTHS = 24;

const GROUPINGS: Grouping[] = [
  { kind: 'all' },
  { kind: 'time', unit: 'day' },
  { kind: 'time', unit: 'week' },
  { kind: 'time', unit: 'month' },
  { kind: 'column', column: 'unit_id' },
  { kind: 'column', column: 'grid_id' },
  { kind: 'column', column: 'category_id' },
];

/** Returns the number of steps done (every grouping's counts and durations, then the received tickets per day). */
export async function warmStatistics(ctx: NodeContext, stopped: () => boolean): Promise<number> {
  const month = periodContaining('month', dateOf(ctx.now()));
  const { from, to } = periodBounds({ from: addMonths(month.from, -WARM_MONTHS), to: month.from });
  let steps = 0;
  for (const g of GROUPINGS) {
    if (stopped()) return steps;
    await countFigures(ctx, from, to, g);
    if (stopped()) return steps;
    await resolveMinutes(ctx, from, to, g);
    steps++;
  }
  if (stopped()) return steps;
  await receivedByDay(ctx, from, to);
  return steps + 1;
}
