// The ticket's append-only event log: who, when, what, why.

import type { TicketEvent } from '../../shared/api/types';
import { actionLabel } from '../../shared/domain/stateMachine';
import {
  CHANNEL_LABELS,
  DISPATCH_MODE_LABELS,
  ROLE_LABELS,
  SATISFACTION_LABELS,
  STATUS_LABELS,
  SUPERVISION_LABELS,
  URGENCY_LABELS,
  type Channel,
  type DispatchMode,
  type Satisfaction,
  type SupervisionLevel,
  type Urgency,
} from '../../shared/domain/ticket';
import { formatDateTime } from '../lib/format';
import type { Lookups } from '../state/session';
import { StatusPill } from './StatusPill';


/** What the event's free text means for each action. */
const REASON_LABELS: Record<string, string> = {
  note: '内容',
  accept: '签收说明',
  dispatch: '派单说明',
  verify: '核查意见',
  callback: '回访记录',
  close: '归档说明',
  decideExtension: '审批意见',
  respondNegotiation: '答复说明',
  supervise: '督办意见',
};

/** Free text that is an ordinary remark rather than a justification. */
const NOTE_STYLE = new Set(['note', 'dispatch', 'callback', 'close', 'respondNegotiation']);


/** Renders an event's data as labelled Chinese lines; unknown keys are shown as they are. */
function describeData(data: Record<string, unknown>, lookups: Lookups): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const unitName = (id: unknown) => (typeof id === 'string' ? lookups.units.get(id)?.name ?? id : String(id));
  // Links to coordination records (whistle sessions, tasks, reviews) are for sync, not for reading.
  const skip = new Set(['id', 'action', 'reason', 'lateMinutes', 'extensionId', 'mergedFrom', 'eventId', 'whistleSessionId', 'whistleCode', 'taskId', 'reviewId', 'allTasksDone']);
  if (typeof data?.categoryPath === 'string') skip.add('categoryId');
  if (typeof data?.targetCode === 'string') skip.add('targetId');
  for (const [k, v] of Object.entries(data ?? {})) {
    if (skip.has(k) || v == null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    switch (k) {
      case 'result':
        out.push(['办理结果', String(v)]);
        break;
      case 'satisfaction':
        out.push(['满意度', SATISFACTION_LABELS[v as Satisfaction] ?? String(v)]);
        break;
      case 'mode':
        out.push(['派单方式', DISPATCH_MODE_LABELS[v as DispatchMode] ?? String(v)]);
        break;
      case 'unitId':
        out.push(['处置单位', unitName(v)]);
        break;
      case 'candidateUnitIds':
        out.push(['商定单位', Array.isArray(v) ? v.map(unitName).join('、') : String(v)]);
        break;
      case 'categoryId':
        out.push(['分类', lookups.catalog.get(String(v))?.path ?? String(v)]);
        break;
      case 'categoryPath':
        out.push(['分类', String(v)]);
        break;
      case 'previousCategoryId':
        out.push(['原分类', lookups.catalog.get(String(v))?.path ?? String(v)]);
        break;
      case 'channel':
        out.push(['渠道', CHANNEL_LABELS[v as Channel] ?? String(v)]);
        break;
      case 'round':
        out.push(['商定轮次', `第${v}轮`]);
        break;
      case 'targetCode':
        out.push(['并入工单', String(v)]);
        break;
      case 'mergedFromCode':
        out.push(['并入的重复工单', String(v)]);
        break;
      case 'ownerUnitId':
        out.push(['牵头单位', unitName(v)]);
        break;
      case 'crossBoundary':
        out.push(['三跨类型', Array.isArray(v) ? v.map((d) => ({ region: '跨区域', level: '跨层级', department: '跨部门' })[String(d)] ?? String(d)).join('、') : String(v)]);
        break;
      case 'previousDeadline':
        out.push(['原办结时限', typeof v === 'number' ? formatDateTime(v) : String(v)]);
        break;
      case 'newDeadline':
        out.push(['新办结时限', typeof v === 'number' ? formatDateTime(v) : String(v)]);
        break;
      case 'signInDeadline':
        out.push(['签收时限', typeof v === 'number' ? formatDateTime(v) : String(v)]);
        break;
      case 'late':
        out.push(['签收', v ? '超时' : '按时']);
        break;
      case 'passed':
        out.push(['核查结果', v ? '通过' : '不通过']);
        break;
      case 'photoCheck':
        out.push(['照片核验', ({ passed: '通过', failed: '未通过（已说明理由）', unavailable: '未能进行', incomplete: '照片不全' } as Record<string, string>)[String(v)] ?? String(v)]);
        break;
      case 'approved':
        out.push(['审批结果', v ? '同意延期' : '不同意延期']);
        break;
      case 'accepted':
        out.push(['答复', v ? '同意承办' : '拒绝']);
        break;
      case 'days':
        out.push(['延期天数', `${v}个工作日`]);
        break;
      case 'level':
        out.push(['督办级别', SUPERVISION_LABELS[Number(v) as SupervisionLevel] ?? String(v)]);
        break;
      case 'urgency':
        out.push(['紧急程度', URGENCY_LABELS[v as Urgency] ?? String(v)]);
        break;
      case 'isMicro':
        out.push(['小微事件', v ? '是' : '否']);
        break;
      case 'note':
      case 'text':
        out.push(['说明', String(v)]);
        break;
      case 'targetId':
        out.push(['并入工单', String(v)]);
        break;
      case 'from':
      case 'to': {
        // relocate: { address, lon, lat, gridId } before and after
        const p = v as { address?: string; gridId?: string | null };
        const grid = p.gridId ? lookups.grids.get(p.gridId)?.name ?? p.gridId : '无网格';
        out.push([k === 'from' ? '原位置' : '新位置', `${p.address ?? ''}（${grid}）`]);
        break;
      }
      case 'outsideStreet':
        out.push(['提示', '新位置不在本街道范围内']);
        break;
      case 'photos':
        if (Array.isArray(v) ? v.length === 0 : Number(v) === 0) break;
        out.push(['照片', Array.isArray(v) ? `${v.length}张` : `${v}张`]);
        break;
      case 'resolveDeadline':
      case 'acceptDeadline':
      case 'deadline':
        out.push([k === 'acceptDeadline' ? '签收时限' : '办结时限', typeof v === 'number' ? formatDateTime(v) : String(v)]);
        break;
      default:
        out.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
    }
  }
  return out;
}

export function Timeline({ events, lookups }: { events: TicketEvent[]; lookups: Lookups }) {
  const sorted = [...events].sort((a, b) => b.seq - a.seq);
  if (sorted.length === 0) return <div className="muted small">暂无记录</div>;
  return (
    <ol className="timeline" data-testid="timeline">
      {sorted.map((e) => {
        const lines = describeData(e.data, lookups);
        const unit = e.unitId ? lookups.units.get(e.unitId)?.name : null;
        return (
          <li key={e.id} className={`tl-item tl-${e.action}`} data-action={e.action}>
            <span className={`tl-dot dot-${e.toStatus}`} aria-hidden />
            <div className="tl-head">
              <strong className="tl-action">{actionLabel(e.action)}</strong>
              <span className="tl-time">{formatDateTime(e.at)}</span>
            </div>
            <div className="tl-actor" data-testid="tl-actor">
              {e.actorName}
              <span className="muted">
                {' '}
                · {ROLE_LABELS[e.actorRole] ?? e.actorRole}
                {/* A unit's own people act for their unit; anyone else's unit here is the one acted on. */}
                {e.actorRole === 'unit' && unit ? ` · ${unit}` : ''}
              </span>
            </div>
            {e.actorRole !== 'unit' && unit && (
              <div className="tl-target small" data-testid="tl-target">
                <span className="muted">处置单位：</span>
                {unit}
              </div>
            )}
            <div className="tl-status">
              {e.fromStatus && e.fromStatus !== e.toStatus ? (
                <>
                  <StatusPill status={e.fromStatus} />
                  <span className="arrow">→</span>
                  <StatusPill status={e.toStatus} />
                </>
              ) : (
                <span className="muted small">状态：{STATUS_LABELS[e.toStatus]}</span>
              )}
            </div>
            {e.reason && (
              <div className={`tl-reason${NOTE_STYLE.has(e.action) ? ' tl-note' : ''}${e.data.late === true ? ' tl-late' : ''}`} data-testid={e.data.late === true ? 'tl-late' : undefined}>
                <span className="muted">{REASON_LABELS[e.action] ?? '理由'}：</span>
                {e.reason}
              </div>
            )}
            {lines.length > 0 && (
              <dl className="tl-data">
                {lines.map(([k, v], i) => (
                  <div key={i}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
            )}
          </li>
        );
      })}
    </ol>
  );
}
