// The ai command line as IT staff and the acceptance measurement run it: train → eval end to end
// on the real complaints (tests/fixtures/ai), the n-gram fallback when the embedding model is broken,
// and bad input rejected with the file and row named and a non-zero exit.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixture';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'src/main/cli/ai.ts');
const DEV = path.resolve(ROOT, 'tests/fixtures/ai/complaints-dev.csv');

function ai(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, ...env } });
  const lines = (s: string) =>
    s
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>);
  return { code: r.status, out: lines(r.stdout), err: lines(r.stderr), stderr: r.stderr };
}

const dir = tempDir('chengyun-ai-cli-');
const csv = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};

describe('ai train / eval on the real complaints', () => {
  const model = path.join(dir, 'model');
  let train: ReturnType<typeof ai>;
  beforeAll(() => {
    train = ai(['train', '--data', DEV, '--out', model, '--folds', '3']);
  });

  it('trains a model directory with a model card and cross-validation figures', () => {
    expect(train.code, train.stderr).toBe(0);
    const r = train.out[0]!;
    expect(r).toMatchObject({ n: 93, labels: 7, parts: 'embedding+ngram' });
    expect(r.cv.accuracy).toBeGreaterThan(0.5);
    expect(r.cv.top3).toBeGreaterThan(0.8);
    for (const f of ['model.json', 'weights.bin', 'card.json']) expect(fs.existsSync(path.join(model, f))).toBe(true);
    const card = JSON.parse(fs.readFileSync(path.join(model, 'card.json'), 'utf8'));
    expect(card.data).toMatchObject({ source: 'complaints-dev.csv', rows: 93 });
    expect(card.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(card.metrics.crossValidation.folds).toBe(3);
    // The shipped 12345 taxonomy's sub-category names are used as prior samples (not counted as rows).
    expect(card.data.prior).toMatch(/taxonomy-12345\.csv: \d+ sub-category names/);
    expect(Object.keys(card.data.labels).sort()).toEqual(['交通运输', '劳动和社会保障', '卫生计生', '商贸旅游', '城乡建设', '教育文体', '环境保护']);
  });

  it('evaluates: one JSON line with n, accuracy, macroF1, top3, msPerItem', () => {
    // Rows of the training file itself: a sanity check of the pipeline, not a quality figure.
    const r = ai(['eval', '--model', model, '--data', DEV]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toHaveLength(1);
    const m = r.out[0]!;
    expect(m).toMatchObject({ n: 93, parts: 'embedding+ngram' });
    for (const k of ['accuracy', 'macroF1', 'top3', 'msPerItem']) expect(typeof m[k]).toBe('number');
    expect(m.accuracy).toBeGreaterThan(0.9);
    expect(m.top3).toBeGreaterThanOrEqual(m.accuracy);
  });

  it('falls back to the n-gram head with a notice when the embedding model is corrupt', () => {
    const models = path.join(dir, 'models');
    fs.cpSync(path.join(ROOT, 'models'), models, { recursive: true });
    const onnx = path.join(models, 'bge-small-zh-v1.5', 'onnx', 'model_quantized.onnx');
    fs.writeFileSync(onnx, Buffer.from('not an onnx model'));
    const r = ai(['eval', '--model', model, '--data', DEV], { CHENGYUN_MODELS_DIR: models });
    expect(r.code, r.stderr).toBe(0);
    expect(r.err[0]).toMatchObject({ fallback: 'ngram' });
    expect(r.err[0]!.notice).toContain('损坏');
    expect(r.out[0]).toMatchObject({ n: 93, parts: 'ngram' });
  });

  it('rejects an unknown label at eval time naming the file and row', () => {
    const f = csv('unknown.csv', 'id,title,text,category\n1,路灯,路灯不亮,城乡建设\n2,火星,火星基地漏水,火星事务\n');
    const r = ai(['eval', '--model', model, '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatchObject({ file: f, row: 3 });
    expect(r.err[0]!.reason).toContain('火星事务');
  });
});

describe('ai command line: .xlsx', () => {
  it('trains from the first worksheet of an .xlsx file with the same header', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('history');
    ws.addRow(['id', 'title', 'text', 'category', 'time']);
    const texts = { 城乡建设: ['路灯不亮', '井盖破损', '道路坑洼', '小区停水', '楼道漏水'], 教育文体: ['入学报名', '学校收费', '幼儿园学位', '教师补课', '校车安全'] };
    let id = 0;
    for (const [label, list] of Object.entries(texts)) for (const t of list) ws.addRow([++id, t, `${t}的问题，请处理`, label, '2020/1/1']);
    const f = path.join(dir, 'history.xlsx');
    await wb.xlsx.writeFile(f);
    const r = ai(['train', '--data', f, '--out', path.join(dir, 'xlsx-model'), '--folds', '0', '--no-embeddings']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out[0]).toMatchObject({ n: 10, labels: 2, parts: 'ngram', cv: null });
  });
});

describe('ai command line: bad input', () => {
  it('missing columns → exit 1 naming the file and the header row', () => {
    const f = csv('nocat.csv', 'id,title,text\n1,a,b\n');
    const r = ai(['train', '--data', f, '--out', path.join(dir, 'x')]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatchObject({ file: f, row: 1 });
    expect(r.err[0]!.reason).toContain('category');
    expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
  });

  it('an empty row in the middle → exit 1 naming the row; RFC 4180 quoting is understood', () => {
    const f = csv('empty.csv', 'id,title,text,category\n1,"标题, 带逗号","正文 ""引号""\n第二行",城乡建设\n,,,\n3,b,c,环境保护\n');
    const r = ai(['train', '--data', f, '--out', path.join(dir, 'y'), '--folds', '0']);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatchObject({ file: f, row: 4, reason: '空行' });
  });

  it('an empty category → exit 1 naming the row', () => {
    const f = csv('nolabel.csv', 'id,title,text,category\n1,a,路灯坏了,城乡建设\n2,b,噪音扰民,\n');
    const r = ai(['train', '--data', f, '--out', path.join(dir, 'z'), '--folds', '0']);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatchObject({ row: 3 });
  });

  it('a missing file → exit 1 naming it; an unknown subcommand → usage and exit 2', () => {
    const r = ai(['eval', '--model', path.join(dir, 'nope'), '--data', path.join(dir, 'nope.csv')]);
    expect(r.code).toBe(1);
    expect(r.err[0]!.file).toContain('nope');
    const u = ai(['frobnicate']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('usage:');
    expect(u.stderr).toContain('ai train');
  });
});
