// The console's section for 郑好拍 and 数字城管: what each channel did since start (accepted, held,
// replays, refusals by reason) and the cases held at the city with their reasons.

import { cstTime, esc } from '../console/html';
import { inDistrict, streetName } from '../divisions';
import { HELD_REASON_LABELS, INTAKE_REJECTIONS, INTAKE_REJECTION_LABELS, INTAKE_SOURCES, INTAKE_SOURCE_LABELS } from '../../shared/intake/citizenReports';
import { CASE_CLASS_KIND_LABELS, type CaseClassKind } from '../../shared/intake/caseCodes';
import type { IntakeCases } from './cases';

function sourceCode(code: string | null): string {
  if (!code) return '—';
  const [kind, c] = code.split(':');
  return `${CASE_CLASS_KIND_LABELS[kind as CaseClassKind] ?? kind} ${c ?? ''}`;
}

export async function intakeSection(intake: IntakeCases, district: string | null): Promise<string> {
  const lines = INTAKE_SOURCES.map((s) => {
    const c = intake.counters[s];
    const refused = INTAKE_REJECTIONS.filter((r) => c[r] > 0).map((r) => `${INTAKE_REJECTION_LABELS[r]} ${c[r]}`).join('，');
    return `<li data-testid="intake-counters-${s}">${INTAKE_SOURCE_LABELS[s]}：收到 ${c.received}，受理派发 ${c.accepted}，暂存 ${c.held}，重复提交 ${c.replayed}${refused ? `；<span class="err-text">拒收 ${refused}</span>` : '；无拒收'}</li>`;
  }).join('');
  const held = (await intake.held(100)).filter((h) => !district || (h.street != null && inDistrict(h.street, district)));
  return `<section class="wide" data-testid="intake-section"><h2>郑好拍与数字城管接入</h2><p class="muted">本次启动以来：</p><ul>${lines}</ul>${
    held.length
      ? `<h3>暂存待派发</h3><table data-testid="intake-held"><thead><tr><th>渠道</th><th>来源编号</th><th>类别</th><th>街道</th><th>原因</th><th>收到时间</th></tr></thead><tbody>${held
          .map(
            (h) =>
              `<tr data-testid="intake-held-row"><td>${esc(INTAKE_SOURCE_LABELS[h.source] ?? h.source)}</td><td>${esc(h.ref)}</td><td>${esc(sourceCode(h.sourceCode))}</td><td>${esc(h.street ? (streetName(h.street) ?? h.street) : '—')}</td><td class="err-text">${esc(HELD_REASON_LABELS[h.reason] ?? h.reason)}</td><td>${cstTime(h.receivedAt)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="muted">没有暂存的案件</p>'
  }</section>`;
}
