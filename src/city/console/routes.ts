// The city console (城运中心控制台) at https://HOST:PORT/console: a small server-rendered web page
// for the city's operators — 12345 direct dispatch, directives and who has acknowledged them, the
// dispatched tickets and where each stands, reference data published and each street's receipt,
// the streets' links — and for a district operations
// center, its own directives. Same client certificates as the CLI; same service calls, same checks.
// Bad input is answered on the page in Chinese, with what was typed kept, and changes nothing.

import crypto from 'node:crypto';
import type http from 'node:http';
import { ZodError } from 'zod/v4';
import { CityError, type CityService } from '../service';
import { HANDLED, type Route, type RouteContext } from '../http';
import type { LiveHub } from '../live';
import { districtName, districtNames, inDistrict, streetName } from '../divisions';
import { REFERENCE_KIND_LABELS } from '../../shared/sync/reference';
import { ALARM_KIND_LABELS, ALARM_REJECTIONS, ALARM_REJECTION_LABELS } from '../../shared/intake/alarms';
import type { AlarmIntake } from '../intake/alarms';
import { DIRECTIVE_PRIORITIES, DIRECTIVE_PRIORITY_LABELS } from '../../shared/sync/protocol';
import { RUN_MODES, RUN_MODE_LABELS, SATISFACTIONS, SATISFACTION_LABELS, STATUS_LABELS } from '../../shared/domain/ticket';
import { ACTION_LABELS } from '../../shared/domain/stateMachine';
import { cstTime, esc, options, page } from './html';
import { SMS_KINDS, SMS_KIND_LABELS, templateProblems } from '../../shared/intake/sms';
import type { Certificates } from '../certs';
import { heldRequests } from '../open311/store';
import type { IntakeCases } from '../intake/cases';
import { intakeSection } from '../intake/consoleSection';
import type { Police110Intake } from '../intake/police110';
import type { SmsNotifier } from '../sms/notifier';
import { police110Section, smsSection } from './intakeSections';

/** What the console's form publishes (a model version is a directory: the CLI's publish-model). */
const PUBLISHABLE = ['catalog', 'calendar', 'grids', 'caseCodeMap'] as const;

export const CONSOLE_PATH = '/console';

type Form = Record<string, string>;
interface View {
  revoke?: Form;
  ok?: string;
  error?: string;
  dispatch?: Form;
  directive?: Form;
  reference?: Form;
  sms?: Form;
  grant?: Form;
}

const FIELD_LABELS: Record<string, string> = {
  street: '街道',
  text: '诉求内容',
  address: '地址',
  unit: '承办单位编码',
  reporterName: '来电人',
  reporterPhone: '来电号码',
  lon: '经度',
  lat: '纬度',
  title: '标题',
  body: '指令内容',
  priority: '紧急程度',
  deadline: '签收时限',
  streets: '接收街道',
  runMode: '运行模式',
};

/**
 * A Chinese sentence for the operator; the precise English detail goes to the log. `submitted` is
 * the form as posted: a field left out or left empty is asked for by name (judged from the form,
 * not from the wording of zod's message).
 */
function chineseError(err: unknown, submitted: Readonly<Record<string, unknown>>): string {
  if (err instanceof ZodError)
    return err.issues
      .map((i) => {
        const key = String(i.path[0] ?? '');
        const label = FIELD_LABELS[key] ?? key;
        const v = submitted[key];
        if ((i.code === 'invalid_type' || i.code === 'too_small') && (v === undefined || v === '')) return `请填写${label}`;
        if (i.code === 'too_small') return `${label}太短（至少${String(i.minimum)}个字）`;
        if (i.code === 'too_big') return `${label}太长（至多${String(i.maximum)}个字）`;
        return `${label}填写不正确`;
      })
      .join('；');
  if (err instanceof CityError) {
    const m: Record<string, string> = {
      unknownStreet: `未登记的街道：${err.message.replace(/^unknown street\(s\): /, '')}`,
      noStreets: '没有可接收的已登记街道',
      outsideDistrict: '只能向本区的街道发送指令',
      unknownDistrict: '本证书所属的区不在本市',
      badDate: '签收时限不是有效的时间',
      badJson: '下发内容不是有效的 JSON',
      invalidReference: `下发内容不合格：${err.message}`,
      oneStreet: '网格只能下发给一个街道，请只选一个街道',
      unknownCertificate: '没有找到这张证书（请填写证书名称，如街道编码，或证书序列号）',
      runModeNotGranted: '市城运中心未授权本区切换运行模式',
      reviewNotGranted: '市城运中心未授权本区审核12345办理结果，请联系市城运中心',
      badGrant: '请选择区，并选择授予或收回的权限',
      // 12345 审核: the service's messages are written for the operator.
      invalidReview: err.message,
      invalidState: err.message,
      notCityTicket: err.message,
      notFound: '没有这张工单',
      invalidTemplate: `短信模板不合格：${err.message}`,
    };
    return m[err.code] ?? `操作未完成（${err.code}）`;
  }
  return '操作未完成，请稍后重试';
}

function form(raw: Buffer): Form {
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}

function send(res: http.ServerResponse, status: number, html: string) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
  res.end(html);
}

/** A deadline from the form: <input type="datetime-local"> gives wall time without a zone — the city runs on CST. */
function deadlineOf(v: string | undefined): number | null {
  if (!v) return null;
  const t = Date.parse(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(v) ? `${v}:00+08:00` : v);
  if (!Number.isFinite(t)) throw new CityError(400, 'badDate', `not a date: ${v}`);
  return t;
}

export function consoleRoutes(
  svc: CityService,
  live: LiveHub,
  log: (msg: string, extra?: Record<string, unknown>) => void,
  alarms?: AlarmIntake,
  extra: { certs?: Certificates; dataDir?: string; intake?: IntakeCases; police110?: Police110Intake; sms?: SmsNotifier } = {},
): Route[] {
  const flash = new Map<string, string>();
  const scope = (c: RouteContext) => (c.caller.role === 'district' ? c.caller.cn! : null);
  const who = (c: RouteContext) => {
    const d = scope(c);
    return d ? `${districtName(d) ?? d}城运中心（区级）` : '市城运中心 · 城市运行值班';
  };

  async function render(c: RouteContext, v: View, status = 200) {
    const district = scope(c);
    const streets = (await svc.streetsStatus()).filter((s) => !district || inDistrict(s.code, district));
    const directives = await svc.directives(30, district ? { district } : {});
    const connected = new Set(live.connected());
    const parts: string[] = [];
    if (v.ok) parts.push(`<div class="notice ok" data-testid="console-ok">${esc(v.ok)}</div>`);
    if (v.error) parts.push(`<div class="notice err" role="alert" data-testid="console-error">${esc(v.error)}</div>`);
    const streetOpts = streets.map((s) => [s.code, s.name && s.name !== s.code ? `${s.name}（${s.code}）` : s.code] as const);

    if (!district) {
      const d = v.dispatch ?? {};
      parts.push(`<section><h2>12345 直派工单</h2>
<form class="grid" method="post" action="${CONSOLE_PATH}/dispatch" data-testid="dispatch-form">
<label>街道</label><select name="street" required>${options([['', '请选择街道'], ...streetOpts], d.street)}</select>
<label>诉求内容</label><textarea name="text" required>${esc(d.text)}</textarea>
<label>地址</label><input name="address" value="${esc(d.address)}" required>
<label>承办单位编码</label><input name="unit" value="${esc(d.unit)}" placeholder="可不填：由街道受理单位分派">
<label>来电人</label><input name="reporterName" value="${esc(d.reporterName)}">
<label>来电号码</label><input name="reporterPhone" value="${esc(d.reporterPhone)}">
<span></span><button type="submit">直派到街道</button>
</form></section>`);
    }

    const f = v.directive ?? {};
    parts.push(`<section><h2>发布指令${district ? `（发往${esc(districtName(district) ?? district)}各街道）` : ''}</h2>
<form class="grid" method="post" action="${CONSOLE_PATH}/directives" data-testid="directive-form">
<label>标题</label><input name="title" value="${esc(f.title)}" required>
<label>指令内容</label><textarea name="body" required>${esc(f.body)}</textarea>
<label>紧急程度</label><select name="priority">${options(DIRECTIVE_PRIORITIES.map((p) => [p, DIRECTIVE_PRIORITY_LABELS[p]] as const), f.priority)}</select>
<label>签收时限</label><input type="datetime-local" name="deadline" value="${esc(f.deadline)}">
<label>接收街道</label><select name="streets" multiple size="4">${options(streetOpts, f.streets)}</select>
<span></span><span class="muted">不选即发往${district ? '本区' : '全市'}全部已登记街道（${streets.length} 个）；按住 Ctrl 可多选</span>
${district ? '' : `<label>运行模式</label><select name="runMode">${options([['', '不切换'], ...RUN_MODES.map((m) => [m, `切换为${RUN_MODE_LABELS[m]}`] as const)], f.runMode)}</select>`}
<span></span><button type="submit">发布指令</button>
</form></section>`);

    parts.push(`<section class="wide"><h2>指令签收情况</h2>${
      directives.length
        ? `<table data-testid="directive-table"><thead><tr><th>指令</th><th>发布</th><th>紧急程度</th><th>签收时限</th><th>签收</th></tr></thead><tbody>${directives
            .map(
              (d) => `<tr data-testid="directive-row"><td><strong>${esc(d.title)}</strong><div class="muted">${esc(d.body)}</div></td>
<td>${esc(d.issuedBy)}<div class="muted">${cstTime(d.issuedAt)}</div></td>
<td><span class="tag p-${esc(d.priority)}">${esc(DIRECTIVE_PRIORITY_LABELS[d.priority] ?? d.priority)}</span></td><td>${cstTime(d.deadline)}</td>
<td><span class="${d.pending ? 'wait' : 'done'}" data-testid="directive-count">已签收 ${d.acked} / ${d.recipients.length}</span>
<details><summary>明细</summary><table>${d.recipients
                .map((r) => `<tr><td>${esc(r.street)}</td><td>${r.ackedAt ? `<span class="done">${cstTime(r.ackedAt)} ${esc(r.ackedBy ?? '')} 签收</span>` : r.deliveredAt ? '<span class="wait">已送达，未签收</span>' : '<span class="wait">未送达</span>'}</td></tr>`)
                .join('')}</table></details></td></tr>`,
            )
            .join('')}</tbody></table>`
        : '<p class="muted">尚未发布指令</p>'
    }</section>`);

    if (!district) {
      const tickets = await svc.recentDispatches(50);
      parts.push(`<section class="wide"><h2>直派工单办理情况</h2>${
        tickets.length
          ? `<table data-testid="ticket-table"><thead><tr><th>工单编号</th><th>街道</th><th>诉求</th><th>状态</th><th>承办单位</th><th>办理结果</th><th>更新</th></tr></thead><tbody>${tickets
              .map(
                (t) => `<tr data-testid="ticket-row"><td><a href="${CONSOLE_PATH}/tickets/${esc(t.id)}">${esc(t.code)}</a></td><td>${esc(t.streetCode)}</td>
<td>${esc(t.description)}<div class="muted">${esc(t.address)}</div></td><td data-testid="ticket-status">${esc((STATUS_LABELS as Record<string, string>)[t.status] ?? t.status)}</td>
<td>${esc(t.unitCode ?? '—')}</td><td>${esc(t.result ?? '—')}</td><td>${cstTime(t.updatedAt)}</td></tr>`,
              )
              .join('')}</tbody></table>`
          : '<p class="muted">尚无直派工单</p>'
      }</section>`);
    }

    if (!district) {
      const pubs = await svc.referencePublications(20);
      const r = v.reference ?? {};
      parts.push(`<section class="wide"><h2>基础数据下发</h2>
<form class="grid" method="post" action="${CONSOLE_PATH}/reference" data-testid="reference-form">
<label>类型</label><select name="kind">${options(PUBLISHABLE.map((k) => [k, REFERENCE_KIND_LABELS[k]] as const), r.kind)}</select>
<label>内容（JSON）</label><textarea name="json" rows="6" placeholder="派单目录 {version, categories:[…]}；工作日历 {version, year, holidays:{日期:名称}, workdays:[日期]}；网格：GeoJSON FeatureCollection">${esc(r.json)}</textarea>
<label>网格版本</label><input name="version" value="${esc(r.version)}" placeholder="仅网格需要，如 2026-12-01">
<label>接收街道</label><select name="streets" multiple size="3">${options(streetOpts, r.streets)}</select>
<span></span><span class="muted">不选即发往全部已登记街道；网格只发一个街道。分类模型用命令行下发（npm run -s city -- publish-model）。</span>
<span></span><button type="submit">下发</button>
</form>
<p class="muted">各街道应用或拒收后回执于此。</p>${
        pubs.length
          ? `<table data-testid="reference-table"><thead><tr><th>类型</th><th>版本</th><th>下发时间</th><th>回执</th></tr></thead><tbody>${pubs
              .map(
                (p) => `<tr data-testid="reference-row"><td>${esc(REFERENCE_KIND_LABELS[p.kind] ?? p.kind)}</td><td>${esc(p.version)}</td><td>${cstTime(p.publishedAt)}</td>
<td><span class="${p.rejected.length ? 'err-text' : p.pending ? 'wait' : 'done'}" data-testid="reference-count">已应用 ${p.applied.length} / ${p.streets}${p.rejected.length ? `，拒收 ${p.rejected.length}` : ''}${p.pending ? `，待回执 ${p.pending}` : ''}</span>${
                  p.applied.length || p.rejected.length
                    ? `<details><summary>明细</summary><table>${[
                        ...p.rejected.map((r) => `<tr><td>${esc(streetName(r.street) ?? r.street)}</td><td class="err-text">拒收：${esc(r.errors.slice(0, 3).join('；'))}</td></tr>`),
                        ...p.applied.map((a) => `<tr><td>${esc(streetName(a.street) ?? a.street)}</td><td class="done">${esc(a.summary ?? '已应用')}</td></tr>`),
                      ].join('')}</table></details>`
                    : ''
                }</td></tr>`,
              )
              .join('')}</tbody></table>`
          : '<p class="muted">尚未下发基础数据</p>'
      }</section>`);
    }

    if (district) parts.push(await reviewQueueSection(svc, district));
    else parts.push(await grantSection(svc, v.grant));

    if (alarms) parts.push(await alarmSection(alarms, district));
    if (extra.intake) parts.push(await intakeSection(extra.intake, district));
    if (!district && extra.police110) parts.push(await police110Section(extra.police110));
    if (!district && extra.sms) parts.push(await smsSection(extra.sms, v.sms));

    parts.push(`<section class="wide"><h2>街道连接</h2><table data-testid="street-table"><thead><tr><th>街道</th><th>实时通道</th><th>最近上传</th><th>最近联系</th></tr></thead><tbody>${streets
      .map((s) => `<tr><td>${esc(s.name && s.name !== s.code ? `${s.name}（${s.code}）` : s.code)}</td><td>${connected.has(s.code) ? '<span class="done">已连接</span>' : '<span class="muted">未连接</span>'}</td><td>${cstTime(s.lastPushAt)}</td><td>${cstTime(s.lastSeenAt)}</td></tr>`)
      .join('')}</tbody></table></section>`);
    if (!district) {
      const held = await heldRequests(svc.db, 50);
      parts.push(`<section class="wide"><h2>待街道接入的 Open311 诉求</h2>${
        held.length
          ? `<p class="muted">以下诉求所在街道尚未接入市城运平台，已登记保存，街道接入后自动派发。</p><table data-testid="held-table"><thead><tr><th>街道</th><th>服务</th><th>诉求</th><th>提交时间</th></tr></thead><tbody>${held
              .map((h) => `<tr data-testid="held-row"><td>${esc(streetName(h.street) ?? h.street)}（${esc(h.street)}）</td><td>${esc(h.serviceCode)}</td><td>${esc(h.description ?? '')}<div class="muted">${esc(h.address ?? '')}</div></td><td>${cstTime(h.requestedAt)}</td></tr>`)
              .join('')}</tbody></table>`
          : '<p class="muted">没有待街道接入的诉求</p>'
      }</section>`);
    }

    if (!district && extra.certs) {
      const revoked = await extra.certs.revoked();
      const seen = await extra.certs.seenList(100);
      const roleLabel = (r: string | null) => ({ street: '街道', district: '区城运中心', admin: '市城运中心', zhenghaopai: '郑好拍平台', digitalCity: '数字城管系统', police110: '110指挥中心' })[r ?? ''] ?? r ?? '—';
      parts.push(`<section class="wide"><h2>客户端证书</h2>
<form class="grid" method="post" action="${CONSOLE_PATH}/revoke" data-testid="revoke-form">
<label>吊销证书</label><input name="target" placeholder="街道/区编码（证书名称）或证书序列号" required>
<label>原因</label><input name="reason" placeholder="如：设备丢失">
<span></span><button type="submit">吊销</button>
</form>
<table data-testid="cert-table"><thead><tr><th>名称</th><th>类型</th><th>序列号</th><th>最近使用</th><th>状态</th></tr></thead><tbody>${seen
        .map(
          (c) => `<tr data-testid="cert-row"><td>${esc(c.cn)}</td><td>${esc(roleLabel(c.role))}</td><td><code>${esc(c.serial)}</code></td><td>${cstTime(c.lastSeen)}</td><td>${
            c.revoked
              ? '<span class="err-text">已吊销</span>'
              : `<form method="post" action="${CONSOLE_PATH}/revoke"><input type="hidden" name="target" value="${esc(c.serial)}"><button type="submit">吊销</button></form>`
          }</td></tr>`,
        )
        .join('')}</tbody></table>
<h3>已吊销</h3>${
        revoked.length
          ? `<table data-testid="revoked-table"><thead><tr><th>名称</th><th>序列号</th><th>原因</th><th>吊销时间</th></tr></thead><tbody>${revoked
              .map((r) => `<tr data-testid="revoked-row"><td>${esc(r.cn ?? '—')}（${esc(roleLabel(r.role))}）</td><td><code>${esc(r.serial)}</code></td><td>${esc(r.reason ?? '')}</td><td>${cstTime(r.revokedAt)}</td></tr>`)
              .join('')}</tbody></table>`
          : '<p class="muted">没有吊销的证书</p>'
      }</section>`);
    }

    // A page answering a refused form is not refreshed (that would resend the form).
    send(c.res, status, page('城运中心控制台', who(c), parts.join('\n'), { autoRefresh: !v.error }));
    return HANDLED;
  }

  async function renderTicket(c: RouteContext, id: string, notice: { ok?: string; error?: string }, status = 200) {
    const district = scope(c);
    const found = await svc.ticket(id);
    // A district sees its own streets' tickets only (another's is answered as not there).
    const t = found && (!district || inDistrict(found.streetCode, district)) ? found : null;
    if (found && !t) log('console: ticket outside the district refused', { ticket: id, caller: c.caller.cn });
    if (!t) {
      send(c.res, 404, page('城运中心控制台', who(c), '<section class="wide"><p>没有这张工单。</p><p><a href="/console">返回</a></p></section>'));
      return HANDLED;
    }
    const label = (s: unknown) => esc((STATUS_LABELS as Record<string, string>)[String(s)] ?? s ?? '—');
    const reviewable = t.source === 'city' && (t.status === 'resolved' || t.status === 'verified');
    // A district reviews where the city delegated it; otherwise it is told so, and no form is shown.
    const granted = !district || (await svc.districtMayReview(district));
    const body = `${notice.ok ? `<div class="notice ok" data-testid="console-ok">${esc(notice.ok)}</div>` : ''}${notice.error ? `<div class="notice err" role="alert" data-testid="console-error">${esc(notice.error)}</div>` : ''}
<section class="wide" data-testid="ticket-detail"><h2>工单 ${esc(t.code)}（${label(t.status)}）</h2>
<p>${esc(t.description)}</p><p class="muted">${esc(t.address)} · ${esc(t.streetCode)} · 承办单位 ${esc(t.unitCode ?? '—')}</p>
<p>办理结果：${esc(t.result ?? '—')}${t.satisfaction ? ` · 回访：${esc((SATISFACTION_LABELS as Record<string, string>)[t.satisfaction] ?? t.satisfaction)}` : ''}</p>
<table><thead><tr><th>时间</th><th>环节</th><th>状态</th><th>办理人</th></tr></thead><tbody>${t.events
      .map((e) => `<tr data-testid="ticket-event"><td>${cstTime(e.at as number)}</td><td>${esc((ACTION_LABELS as Record<string, string>)[String(e.action)] ?? e.action)}</td><td>${label(e.from)} → ${label(e.to)}</td><td>${esc(e.actor)}</td></tr>`)
      .join('')}</tbody></table>${
      reviewable && !granted
        ? `<div class="notice err" data-testid="review-not-granted">市城运中心未授权本区审核12345办理结果，本区只能查看。</div>`
        : reviewable
        ? `<h3>12345 审核${district ? `（${esc(districtName(district) ?? district)}城运中心）` : ''}</h3><form class="grid" method="post" action="${CONSOLE_PATH}/tickets/${esc(encodeURIComponent(t.id))}/review" data-testid="review-form">
<label>审核结论</label><select name="decision">${options(
            [
              ['approve', '审核通过'],
              ['return', '退回重办'],
              ['callback', '登记市民回访结果'],
            ] as const,
          )}</select>
<label>理由或说明</label><textarea name="reason" placeholder="退回重办须写明理由"></textarea>
<label>回访满意度</label><select name="satisfaction">${options(SATISFACTIONS.map((x) => [x, SATISFACTION_LABELS[x]] as const))}</select>
<span></span><button type="submit">提交</button></form>`
        : ''
    }<p><a href="${CONSOLE_PATH}">返回控制台</a></p></section>`;
    // A page showing a form is not refreshed while it may be filled in.
    send(c.res, status, page('城运中心控制台', who(c), body, { autoRefresh: !reviewable && !notice.error }));
    return HANDLED;
  }

  /** Runs a form action; on refusal the page comes back with the reason and the typed values. */
  async function act(c: RouteContext, key: 'dispatch' | 'directive' | 'reference' | 'revoke' | 'sms' | 'grant', run: (f: Form) => Promise<string>, maxBytes = 64 * 1024) {
    // (A post from another site's page never gets here: the router refuses foreign origins.)
    const raw = await c.raw(maxBytes);
    const f = form(raw);
    // A multiple select posts one value per choice.
    const streets = new URLSearchParams(raw.toString('utf8')).getAll('streets').filter(Boolean);
    try {
      const ok = await run({ ...f, streets: streets.join(',') });
      // Post/redirect/get: reloading the page that follows never sends the form again.
      // The message travels by a one-time id: a link cannot make the console claim what it did not do.
      const id = crypto.randomUUID();
      flash.set(id, ok);
      setTimeout(() => flash.delete(id), 60_000).unref();
      c.res.writeHead(303, { location: `${CONSOLE_PATH}?done=${id}`, 'cache-control': 'no-store' });
      c.res.end();
      return HANDLED;
    } catch (err) {
      log('console: action refused', { action: key, caller: c.caller.cn, detail: err instanceof Error ? err.message : String(err) });
      return render(c, { error: chineseError(err, f), [key]: f }, 400);
    }
  }

  return [
    {
      method: 'GET',
      path: CONSOLE_PATH,
      who: 'operator',
      handle: (c) => {
        const id = c.url.searchParams.get('done') ?? '';
        const ok = flash.get(id);
        flash.delete(id);
        return render(c, { ok });
      },
    },
    {
      method: 'POST',
      path: `${CONSOLE_PATH}/dispatch`,
      who: 'admin',
      handle: (c) =>
        act(c, 'dispatch', async (f) => {
          const t = await svc.dispatch({
            street: f.street ?? '',
            text: f.text ?? '',
            address: f.address ?? '',
            ...(f.unit?.trim() ? { unit: f.unit.trim() } : {}),
            ...(f.reporterName?.trim() ? { reporterName: f.reporterName.trim() } : {}),
            ...(f.reporterPhone?.trim() ? { reporterPhone: f.reporterPhone.trim() } : {}),
          });
          return `已直派工单 ${t.code} 至 ${t.streetCode}，等待街道签收`;
        }),
    },
    {
      method: 'POST',
      path: `${CONSOLE_PATH}/directives`,
      who: 'operator',
      handle: (c) =>
        act(c, 'directive', async (f) => {
          const district = scope(c);
          const d = await svc.sendDirective(
            {
              title: f.title ?? '',
              body: f.body ?? '',
              priority: (f.priority || 'normal') as never,
              deadline: deadlineOf(f.deadline),
              ...(f.streets ? { streets: f.streets.split(',') } : {}),
              ...(!district && f.runMode ? { runMode: { mode: f.runMode as never, end: null } } : {}),
            },
            district ? { district } : {},
          );
          return `指令“${d.title}”已发往 ${d.streets.length} 个街道`;
        }),
    },
    {
      method: 'POST',
      path: `${CONSOLE_PATH}/reference`,
      who: 'admin',
      handle: (c) =>
        act(
          c,
          'reference',
          async (f) => {
            const kind = (PUBLISHABLE as readonly string[]).includes(f.kind ?? '') ? (f.kind as (typeof PUBLISHABLE)[number]) : 'catalog';
            let doc: Record<string, unknown>;
            try {
              doc = JSON.parse(f.json ?? '') as Record<string, unknown>;
            } catch {
              throw new CityError(400, 'badJson', 'reference content is not JSON');
            }
            const payload = kind === 'grids' ? { version: f.version?.trim() || new Date(svc.now() + 8 * 3600_000).toISOString().slice(0, 10), geojson: doc } : doc;
            const p = await svc.publishReference(kind, payload, f.streets ? f.streets.split(',') : undefined);
            return `${REFERENCE_KIND_LABELS[kind]} ${p.version} 已下发至 ${p.streets.length} 个街道，等待回执`;
          },
          16 * 1024 * 1024,
        ),
    },
    {
      method: 'POST',
      path: `${CONSOLE_PATH}/revoke`,
      who: 'admin',
      handle: (c) =>
        act(c, 'revoke', async (f) => {
          if (!extra.certs) throw new CityError(400, 'noCertificates', 'certificate list unavailable');
          let found;
          try {
            found = await extra.certs.resolve(f.target ?? '', extra.dataDir);
          } catch {
            throw new CityError(404, 'unknownCertificate', `no certificate known for ${f.target}`);
          }
          const r = await extra.certs.revoke({ ...found, reason: f.reason?.trim() || null });
          if (r.role === 'street' && r.cn) live.disconnect(r.cn);
          return `已吊销证书 ${r.cn ?? ''}（序列号 ${r.serial}），该证书的请求此后一律拒绝`;
        }),
    },
    {
      method: 'POST',
      path: `${CONSOLE_PATH}/sms-templates`,
      who: 'admin',
      handle: (c) =>
        act(c, 'sms', async (f) => {
          if (!extra.sms) throw new CityError(400, 'noSms', 'SMS module unavailable');
          const changed: string[] = [];
          const current = await extra.sms.templates();
          // Both are checked before either is saved: a refused form changes nothing.
          for (const k of SMS_KINDS) if (f[k] != null && f[k].trim() !== current[k].text) {
            const problems = templateProblems(k, f[k]);
            if (problems.length) throw new CityError(400, 'invalidTemplate', `${SMS_KIND_LABELS[k]}：${problems.join('；')}`);
            changed.push(k);
          }
          for (const k of changed) await extra.sms.setTemplate(k, f[k]!, c.caller.cn);
          return changed.length ? `短信模板已保存（${changed.map((k) => SMS_KIND_LABELS[k as keyof typeof SMS_KIND_LABELS]).join('、')}）` : '短信模板没有改动';
        }),
    },
    {
      // 区级审核授权: the city delegates (or withdraws) a district's 12345 review and run-mode switching.
      method: 'POST',
      path: `${CONSOLE_PATH}/district-grants`,
      who: 'admin',
      handle: (c) =>
        act(c, 'grant', async (f) => {
          const code = f.district ?? '';
          if (!districtName(code)) throw new CityError(400, 'badGrant', `no district ${code}`);
          const want = (v: string | undefined) => (v === 'grant' ? true : v === 'withdraw' ? false : undefined);
          const review = want(f.review);
          const runMode = want(f.runMode);
          if (review === undefined && runMode === undefined) throw new CityError(400, 'badGrant', 'nothing to grant or withdraw');
          const before = (await svc.districtGrants()).find((g) => g.district === code);
          const g = await svc.grantDistrict(code, { ...(review !== undefined ? { review } : {}), ...(runMode !== undefined ? { runMode } : {}) });
          // Who changed a district's powers, and from what to what.
          log('console: district grant changed', { district: code, by: c.caller.cn, before: before ? { review: before.review, runMode: before.runMode } : null, after: { review: g.review, runMode: g.runMode } });
          const yes = (b: boolean) => (b ? '已授权' : '未授权');
          return `${districtName(code)}：审核12345办理结果${yes(g.review)}，切换运行模式${yes(g.runMode)}`;
        }),
    },
    {
      method: 'GET',
      path: `${CONSOLE_PATH}/tickets/:id`,
      who: 'operator',
      handle: async (c) => renderTicket(c, c.params.id!, { ok: c.url.searchParams.get('done') ? (flash.get(c.url.searchParams.get('done')!) ?? undefined) : undefined }),
    },
    {
      // 12345 审核: approve, return for rework with a reason, or record the citizen's callback.
      method: 'POST',
      path: `${CONSOLE_PATH}/tickets/:id/review`,
      // The city's operator, or a district's where the city delegated review (checked by the service:
      // the grant, and that the ticket is of one of the district's own streets).
      who: 'operator',
      handle: async (c) => {
        const f = form(await c.raw(16 * 1024));
        const id = c.params.id!;
        const district = scope(c);
        const review = f.decision === 'return' ? { decision: 'return', reason: f.reason ?? '' } : f.decision === 'callback' ? { decision: 'callback', satisfaction: f.satisfaction } : { decision: f.decision, note: f.reason || undefined };
        try {
          const t = await svc.review(id, review, undefined, district ? { district } : {});
          log('console: 12345 review', { ticket: t.code, decision: f.decision, by: c.caller.cn, district: district ?? null });
          const done = crypto.randomUUID();
          flash.set(done, `工单 ${t.code} 已${f.decision === 'approve' ? '审核通过' : f.decision === 'return' ? '退回重办' : '登记回访结果'}，已通知街道`);
          setTimeout(() => flash.delete(done), 60_000).unref();
          c.res.writeHead(303, { location: `${CONSOLE_PATH}/tickets/${encodeURIComponent(id)}?done=${done}`, 'cache-control': 'no-store' });
          c.res.end();
          return HANDLED;
        } catch (err) {
          log('console: review refused', { ticket: id, caller: c.caller.cn, detail: err instanceof Error ? err.message : String(err) });
          // Another district's ticket is not there for this one (as on the ticket page).
          if (err instanceof CityError && err.code === 'outsideDistrict') return renderTicket(c, id, {}, 404);
          return renderTicket(c, id, { error: chineseError(err, f) }, 400);
        }
      },
    },
  ];
}

/** 视频与物联感知报警: what the intake did since start (refusals by reason) and the latest groups. */
async function alarmSection(alarms: AlarmIntake, district: string | null): Promise<string> {
  const c = alarms.counters;
  const groups = (await alarms.recentGroups(30)).filter((g) => !district || inDistrict(g.street, district));
  const refused = ALARM_REJECTIONS.filter((r) => c[r] > 0)
    .map((r) => `${ALARM_REJECTION_LABELS[r]} ${c[r]}`)
    .join('，');
  return `<section class="wide" data-testid="alarm-section"><h2>视频与物联感知报警</h2>
<p data-testid="alarm-counters">本次启动以来收到 ${c.received} 条：生成工单 ${c.ticket}，并入已有工单 ${c.grouped}，未达阈值 ${c.belowThreshold}，持续时间未到 ${c.pendingDuration}，静默时段 ${c.quietHours}，街道未接入暂存 ${c.held}${refused ? `；<span class="err-text">拒收 ${refused}</span>` : '；无拒收'}。</p>${
    groups.length
      ? `<table data-testid="alarm-groups"><thead><tr><th>类型</th><th>设备</th><th>街道</th><th>报警次数</th><th>首次</th><th>最近</th><th>工单</th></tr></thead><tbody>${groups
          .map(
            (g) =>
              `<tr><td>${esc(ALARM_KIND_LABELS[g.kind] ?? g.kind)}</td><td>${esc(g.device)}</td><td>${esc(streetName(g.street) ?? g.street)}</td><td>${g.count}</td><td>${cstTime(g.firstAt)}</td><td>${cstTime(g.lastAt)}</td><td>${g.ticketCode ? esc(g.ticketCode) : '<span class="muted">—</span>'}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="muted">尚无报警</p>'
  }</section>`;
}

/** 区级审核授权 (the city's operator): grant or withdraw a district's delegations; the current ones. */
async function grantSection(svc: CityService, f: Form = {}): Promise<string> {
  const grants = await svc.districtGrants();
  const names = districtNames();
  const choice = (name: string) =>
    `<select name="${name}">${options(
      [
        ['', '不变'],
        ['grant', '授权'],
        ['withdraw', '收回'],
      ] as const,
      f[name],
    )}</select>`;
  return `<section class="wide" data-testid="grant-section"><h2>区级授权</h2>
<p class="muted">授权区城运中心审核本区街道的12345办理结果（审核通过、退回重办、登记回访），或切换本区街道的运行模式。</p>
<form class="grid" method="post" action="${CONSOLE_PATH}/district-grants" data-testid="grant-form">
<label>区</label><select name="district" required>${options([['', '请选择区'], ...Object.entries(names).map(([code, name]) => [code, `${name}（${code}）`] as const)], f.district)}</select>
<label>审核12345办理结果</label>${choice('review')}
<label>切换运行模式</label>${choice('runMode')}
<span></span><button type="submit">保存授权</button>
</form>${
    grants.length
      ? `<table data-testid="grant-table"><thead><tr><th>区</th><th>审核12345办理结果</th><th>切换运行模式</th><th>最近变更</th></tr></thead><tbody>${grants
          .map(
            (g) =>
              `<tr data-testid="grant-row" data-district="${esc(g.district)}"><td>${esc(names[g.district] ?? g.district)}（${esc(g.district)}）</td><td>${g.review ? '<span class="done">已授权</span>' : '<span class="muted">未授权</span>'}</td><td>${g.runMode ? '<span class="done">已授权</span>' : '<span class="muted">未授权</span>'}</td><td>${cstTime(g.grantedAt)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="muted">尚未向任何区授权</p>'
  }</section>`;
}

/** 待审核工单 (a district's console): its own streets' 12345 results awaiting review. */
async function reviewQueueSection(svc: CityService, district: string): Promise<string> {
  const granted = await svc.districtMayReview(district);
  const tickets = await svc.awaitingReview(100, { district });
  return `<section class="wide" data-testid="review-queue"><h2>待审核工单（本区街道）</h2>${
    granted
      ? '<p class="done" data-testid="review-granted">市城运中心已授权本区审核12345办理结果：打开工单即可审核通过、退回重办或登记回访。</p>'
      : '<p class="err-text" data-testid="review-not-granted">市城运中心未授权本区审核12345办理结果，本区只能查看。</p>'
  }${
    tickets.length
      ? `<table data-testid="review-table"><thead><tr><th>工单编号</th><th>街道</th><th>诉求</th><th>状态</th><th>办理结果</th><th>更新</th></tr></thead><tbody>${tickets
          .map(
            (t) => `<tr data-testid="review-row"><td><a href="${CONSOLE_PATH}/tickets/${esc(t.id)}">${esc(t.code)}</a></td><td>${esc(streetName(t.streetCode) ?? t.streetCode)}</td>
<td>${esc(t.description)}<div class="muted">${esc(t.address)}</div></td><td>${esc((STATUS_LABELS as Record<string, string>)[t.status] ?? t.status)}</td><td>${esc(t.result ?? '—')}</td><td>${cstTime(t.updatedAt)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="muted">本区街道暂无待审核的工单</p>'
  }</section>`;
}
