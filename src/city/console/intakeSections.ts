// City console sections for 110 non-police transfers (counters by refusal reason, the latest
// transfers with their sign-in and feedback) and citizen SMS (templates form, message log with
// masked numbers). Rendered by ./routes.ts.

import { POLICE110_REJECTIONS, POLICE110_REJECTION_LABELS } from '../../shared/intake/police110';
import { SMS_KINDS, SMS_KIND_LABELS, SMS_PLACEHOLDERS } from '../../shared/intake/sms';
import { STATUS_LABELS } from '../../shared/domain/ticket';
import type { Police110Intake } from '../intake/police110';
import type { SmsNotifier } from '../sms/notifier';
import { cstTime, esc } from './html';

export async function police110Section(intake: Police110Intake): Promise<string> {
  const c = intake.counters;
  const refused = POLICE110_REJECTIONS.filter((r) => c[r] > 0)
    .map((r) => `${POLICE110_REJECTION_LABELS[r]} ${c[r]}`)
    .join('，');
  const list = await intake.recent(30);
  return `<section class="wide" data-testid="police110-section"><h2>110 非警务警情分流</h2>
<p data-testid="police110-counters">本次启动以来收到 ${c.received} 件：转街道 ${c.accepted}，重复转办 ${c.replayed}${refused ? `；<span class="err-text">拒收 ${refused}</span>` : '；无拒收'}${c.failed ? `；<span class="err-text">处理失败 ${c.failed}</span>` : ''}。</p>${
    list.length
      ? `<table data-testid="police110-table"><thead><tr><th>接警单号</th><th>工单</th><th>街道</th><th>转办时间</th><th>签收</th><th>状态</th><th>办理结果（反馈110）</th></tr></thead><tbody>${list
          .map(
            (f) => `<tr data-testid="police110-row"><td>${esc(f.incidentNo)}</td><td>${esc(f.ticketCode)}</td><td>${esc(f.streetName)}</td><td>${cstTime(f.transferredAt)}</td>
<td>${f.signedInAt ? `<span class="${f.signInLate ? 'err-text' : 'done'}">${cstTime(f.signedInAt)}${f.signInLate ? '（超时）' : ''}</span>` : f.signInLate ? '<span class="err-text">超时未签收</span>' : `<span class="wait">待签收（${cstTime(f.signInDeadline)} 前）</span>`}</td>
<td>${esc(f.stateLabel)}<div class="muted">${esc((STATUS_LABELS as Record<string, string>)[f.ticketStatus] ?? f.ticketStatus)}</div></td><td>${esc(f.result ?? '—')}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="muted">尚无110转办警情</p>'
  }</section>`;
}

export async function smsSection(sms: SmsNotifier, form: Record<string, string> | undefined): Promise<string> {
  const templates = await sms.templates();
  const messages = await sms.recent(30);
  const c = sms.counters;
  const statusLabel = { pending: '待发送/重试中', sent: '已发送', failed: '发送失败' } as const;
  return `<section class="wide" data-testid="sms-section"><h2>短信通知市民</h2>
<p class="muted">${sms.configured ? `短信网关已配置。本次启动以来：排队 ${c.queued}，发送成功 ${c.sent}，失败重试 ${c.retried}，放弃 ${c.failed}。` : '未配置短信网关（启动参数 --sms-url / --sms-account / --sms-key），不发送短信；模板仍可编辑。'}
受理时发送工单号，办结时发送处理结果：Open311 留有手机号的、110 来电人同意短信告知的。可用占位符：${SMS_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}。</p>
<form class="grid" method="post" action="/console/sms-templates" data-testid="sms-template-form">
${SMS_KINDS.map(
  (k) => `<label>${esc(SMS_KIND_LABELS[k])}</label><textarea name="${k}" rows="2" data-testid="sms-template-${k}">${esc(form?.[k] ?? templates[k].text)}</textarea>
<span></span><span class="muted">${templates[k].updatedAt ? `${cstTime(templates[k].updatedAt)} 由 ${esc(templates[k].updatedBy ?? '—')} 修改` : '默认模板'}</span>`,
).join('\n')}
<span></span><button type="submit">保存模板</button>
</form>${
    messages.length
      ? `<table data-testid="sms-table"><thead><tr><th>时间</th><th>工单</th><th>类型</th><th>号码</th><th>内容</th><th>状态</th><th>尝试</th></tr></thead><tbody>${messages
          .map(
            (m) => `<tr data-testid="sms-row"><td>${cstTime(m.createdAt)}</td><td>${esc(m.ticketCode ?? m.ticketId)}</td><td>${esc(SMS_KIND_LABELS[m.kind] ?? m.kind)}</td><td>${esc(m.phoneMasked)}</td><td>${esc(m.text)}</td>
<td><span class="${m.status === 'sent' ? 'done' : m.status === 'failed' ? 'err-text' : 'wait'}">${esc(statusLabel[m.status] ?? m.status)}</span>${m.lastError && m.status !== 'sent' ? `<div class="muted">${esc(m.lastError)}</div>` : ''}</td><td>${m.attempts}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="muted">尚无短信</p>'
  }</section>`;
}
