// 设置 › 智能助手: the assistant's state, acceptance rates of its suggestions, the street's text
// model versions with their held-out scores, retrain (replaces only when better) and rollback;
// the photo model's dated figures on photos it was not built from and this street's photo use.

import { useCallback, useState } from 'react';
import type { AiModelVersion, AiRetrainResult, TextRealEvaluation } from '../../shared/api/ai';
import type { PhotoAiStats, PhotoAiStatus, PhotoSplitFigures } from '../../shared/api/aiPhoto';
import { call } from '../api/client';
import { DataTable } from './DataTable';
import { useAction } from '../lib/action';
import { formatDateTime } from '../lib/format';
import { useLiveQuery } from '../lib/liveQuery';

const pct = (x: number | null | undefined) => (x == null ? '—' : `${(x * 100).toFixed(1)}%`);
const ratio = (n: number, of: number) => `${n}/${of}（${of ? ((n / of) * 100).toFixed(1) : '—'}%）`;

/** 文本分类方法 on real complaints of another city: the figures used to choose its settings apart from the one measured once on held-out rows. */
function TextMethodFigures({ ev }: { ev: TextRealEvaluation }) {
  const sd = ev.choosing.accuracySd != null ? ` ± ${(ev.choosing.accuracySd * 100).toFixed(1)}` : '';
  return (
    <div data-testid="ai-text-eval">
      <h4 className="sub-title">文本分类方法在真实投诉上的效果（非本街道数据）</h4>
      <table className="ai-table">
        <thead>
          <tr>
            <th>数据</th>
            <th>条数</th>
            <th>首选正确</th>
            <th>前三命中</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="ai-text-eval-choosing">
            <td>调参集：{ev.choosing.folds} 折交叉验证 × {ev.choosing.seeds} 个随机种子（用于选定设置）</td>
            <td>{ev.choosing.n}</td>
            <td>
              {pct(ev.choosing.accuracy)}
              {sd}
            </td>
            <td>{pct(ev.choosing.top3)}</td>
          </tr>
          <tr data-testid="ai-text-eval-heldout">
            <td>留出集：未用于本轮任何选择，只测一次（用调参集全部 {ev.heldOut.trainRows} 条训练）</td>
            <td>{ev.heldOut.n}</td>
            <td>
              <strong data-testid="ai-text-eval-heldout-accuracy">{pct(ev.heldOut.accuracy)}</strong>
            </td>
            <td>{pct(ev.heldOut.top3)}</td>
          </tr>
        </tbody>
      </table>
      <div className="muted small" data-testid="ai-text-eval-note">
        {ev.date} 测得。数据：{ev.source}。{ev.caveat}
      </div>
    </div>
  );
}

/** 照片识别: the shipped photo model's evaluation (real photos of another city, not this street) and this street's use. */
function PhotoModelFigures({ status, stats }: { status: PhotoAiStatus | null; stats: PhotoAiStats | null }) {
  const ev = status?.evaluation;
  const row = (label: string, f: PhotoSplitFigures, key: string) => (
    <tr key={key} data-testid={`ai-photo-eval-${key}`}>
      <td>{label}</td>
      <td>{ratio(f.garbageTop3, f.garbage)}</td>
      <td>{ratio(f.negativesRefused, f.negatives)}</td>
      <td>{f.negativesFalseGarbage}</td>
    </tr>
  );
  return (
    <div data-testid="ai-photo-figures">
      <h4 className="sub-title">照片识别模型</h4>
      <div className="muted small">
        {status?.state === 'ready' ? `在用版本：${status.modelVersion}` : status?.state === 'unavailable' ? status.notice : '模型准备中…'}
      </div>
      {ev && (
        <>
          <DataTable rows={[ev.calibration, ev.test]} headers={['照片集', '垃圾照片识别且前三含垃圾类', '非街面照片判为“未识别”', '非街面照片误判为垃圾']} className="ai-table" testId="ai-photo-eval">
            {(f) => (f === ev.calibration ? row('调参集（用于选定阈值）', f, 'calibration') : row('测试集（未用于任何选择，只测一次）', f, 'test'))}
          </DataTable>
          <div className="muted small" data-testid="ai-photo-eval-note">
            {ev.date} 测得。照片均未参与构建该模型：垃圾照片为阿姆斯特丹市民上报的真实街面照片（MIT 许可），非街面照片为公开许可的动物、食物、人像、文档、夜空、花卉、剪贴画、风景等图片（部分文档与夜空为合成图）。不是本街道的照片，本街道的实际效果见下行。
          </div>
        </>
      )}
      {stats && (
        <div className="muted small" data-testid="ai-photo-street">
          {stats.shown === 0
            ? '本街道：尚无照片识别记录（受理时上传照片后统计）。'
            : `本街道：识别照片 ${stats.shown} 张，其中未识别出街面问题 ${stats.unrecognized} 张；已立案 ${stats.filed} 张，分类采纳率 ${pct(stats.categoryAcceptRate)}，描述采纳率 ${pct(stats.descriptionAcceptRate)}。`}
        </div>
      )}
    </div>
  );
}

export function AiSettingsPanel({ role }: { role: string }) {
  // Each part shows what it has: one the node cannot give stays empty.
  const { data, reload: load } = useLiveQuery(
    useCallback(
      () =>
        Promise.all([
          call('ai.status', {}).catch(() => null),
          call('ai.stats', {}).catch(() => null),
          call('ai.models', {}).catch(() => null),
          call('ai.dispatchShare', {}).catch(() => null),
          call('aiPhoto.status', {}).catch(() => null),
          // Only street staff may read the photo AI's usage (the node refuses others with a 403).
          role === 'operator' || role === 'leader' ? call('aiPhoto.stats', {}).catch(() => null) : null,
        ]).then(([status, stats, models, share, photoStatus, photoStats]) => ({ status, stats, models, share, photoStatus, photoStats })),
      [role],
    ),
    null,
  );
  const { status, stats, models, share, photoStatus, photoStats } = data ?? { status: null, stats: null, models: null, share: null, photoStatus: null, photoStats: null };
  const [result, setResult] = useState<AiRetrainResult | null>(null);
  const training = useAction<AiRetrainResult>(setResult);
  const switching = useAction();
  const busy = training.busy || switching.busy;

  const retrain = async () => {
    setResult(null);
    if (await training.run(() => call('ai.retrain', {}), (r) => (r.replaced ? '新模型已启用' : '新模型未优于在用模型，已保留在用模型'))) void load();
  };

  const rollback = async (version: string) => {
    if (await switching.run(() => call('ai.rollback', { version }), `已切换到模型版本 ${version}`)) void load();
  };

  const canRetrain = role === 'operator' || role === 'leader';
  return (
    <section className="card ai-panel" data-testid="settings-ai">
      <div className="card-head">
        <h3>智能助手（AI 小郑）</h3>
        <span className="muted small">
          {/* Before the figures have arrived nothing is known yet: not "unavailable". */}
          {!data ? '读取中…' : status?.state === 'ready' ? `在用模型：${currentLabel(status.modelVersion, models?.versions)}（${status.parts === 'ngram' ? '字符模型' : '语义向量 + 字符模型'}）` : status?.state === 'loading' ? '模型准备中…' : '不可用'}
        </span>
      </div>
      {status?.notice && <div className="callout warn">{status.notice}</div>}
      <h4 className="sub-title">建议采纳率</h4>
      <DataTable rows={stats?.kinds ?? []} headers={['建议', '展示次数', '已决定', '采纳', '采纳率']} className="ai-table" testId="ai-acceptance">
        {(k) => (
          <tr key={k.kind} data-testid={`ai-rate-${k.kind}`}>
            <td>{k.label}</td>
            <td>{k.shown}</td>
            <td>{k.decided}</td>
            <td>{k.accepted}</td>
            <td>{pct(k.rate)}</td>
          </tr>
        )}
      </DataTable>
      <h4 className="sub-title">智能派单命中率</h4>
      <div className="ai-dispatch-share" data-testid="ai-dispatch-share">
        {share && share.share != null ? (
          <>
            <p>
              本街道：首选建议单位 = 实际派往单位 <strong data-testid="ai-dispatch-share-value">{pct(share.share)}</strong>（{share.hits}/{share.n} 件；前三含实际单位 {pct(share.top3Share)}） · 全市智能派单占比 {'>'}
              {Math.round(share.cityShare * 100)}%
            </p>
            <p className="muted small ai-figure-note">
              按时间留出：用 {formatDateTime(share.cutoff!)} 之前办结的 {share.trainRows} 件工单生成建议，检验此后派出的最近 {share.n} 件（至 {formatDateTime(share.to!)}）；
              与全市数字口径不同（全市为经智能派单派出的工单占比）。
            </p>
          </>
        ) : (
          <p className="muted small">派单历史不足，暂无法计算（全市智能派单占比 {'>'}85%）</p>
        )}
        {share?.generated && (
          <div className="callout warn small" data-testid="ai-generated-note">
            演示街道：以上数字和下方模型的留出准确率都是在程序生成的演示数据上算出的，生成的文本高度规整，不代表真实使用效果。
          </div>
        )}
      </div>
      <h4 className="sub-title">文本分类模型版本</h4>
      <DataTable rows={models?.versions ?? []} headers={['版本', '训练时间', '类型', '训练样本', '留出准确率', '前三命中', '']} className="ai-table" testId="ai-models">
        {(v) => (
          <tr key={v.version}>
            <td className={v.current ? 'ai-current mono' : 'mono'}>
              {v.version}
              {v.current ? '（在用）' : ''}
            </td>
            <td>{formatDateTime(Date.parse(v.createdAt))}</td>
            <td>
              {v.parts === 'ngram' ? '字符模型' : '语义向量 + 字符'}
              {v.origin === 'city' && <span className="muted small">（市级下发，准确率为市级评估）</span>}
            </td>
            <td>{v.rows}</td>
            <td>
              {pct(v.heldOut?.accuracy)}
              {models?.generated && v.heldOut && <span className="muted small">（生成数据）</span>}
            </td>
            <td>{pct(v.heldOut?.top3)}</td>
            <td>
              {!v.current && role === 'leader' && (
                <button type="button" className="link-btn" disabled={busy} onClick={() => void rollback(v.version)}>
                  启用此版本
                </button>
              )}
            </td>
          </tr>
        )}
      </DataTable>
      {models?.realEvaluation && <TextMethodFigures ev={models.realEvaluation} />}
      {result && (
        <div className={`callout${result.replaced ? '' : ' warn'}`} data-testid="ai-retrain-result">
          新版本 {result.candidate.version}：留出准确率 {pct(result.candidate.heldOut?.accuracy)}（前三 {pct(result.candidate.heldOut?.top3)}）
          {result.previous ? `；在用模型 ${result.previous.version} 在同一批数据上 ${pct(result.previous.accuracy)}（前三 ${pct(result.previous.top3)}）` : ''}。{result.reason}
        </div>
      )}
      {canRetrain && (
        <div className="form-actions">
          <span className="muted small">用本街道的历史工单（操作员最终确定的分类）训练新版本，仅在留出数据上更好时替换</span>
          <button type="button" className="primary" disabled={busy || status?.training} onClick={() => void retrain()} data-testid="ai-retrain">
            {busy || status?.training ? '训练中…' : '重新训练'}
          </button>
        </div>
      )}
      <PhotoModelFigures status={photoStatus} stats={photoStats} />
    </section>
  );
}

/** The model in use as a reader says it: its training time, from its own entry in the version list; the id until that list has come. */
function currentLabel(version: string | null, versions: readonly AiModelVersion[] | undefined): string {
  const v = versions?.find((x) => x.version === version);
  return v ? `${formatDateTime(Date.parse(v.createdAt))} 训练的版本` : (version ?? '');
}
