// The node's periodic coordination job: bring the run mode in line with its periods (a scheduled
// mode starts or ends), escalate overdue tickets and remind at-risk ones, and flag a missing zero
// report once a day.

import { cstDate } from '../../../shared/domain/calendar';
import type { NodeContext } from '../core/context';
import { applyEffectiveMode, zeroReportMissing } from './runModes';
import { runSupervision } from './supervision';

const flagged = new WeakMap<NodeContext, string>();

export async function runCoordinationJobs(ctx: NodeContext): Promise<{ escalated: number; warned: number; zeroReportMissing: boolean }> {
  const mode = await applyEffectiveMode(ctx);
  const r = await runSupervision(ctx);
  const missing = await zeroReportMissing(ctx);
  const today = cstDate(ctx.now());
  if (missing && flagged.get(ctx) !== today) {
    flagged.set(ctx, today);
    ctx.log.warn('zero report overdue', { date: today, mode });
    ctx.events.publish({ type: 'runMode.changed', mode });
  }
  return { ...r, zeroReportMissing: missing };
}
