// Text subcommands of the `ai` command line: train, eval, cv, retrain, models, rollback (see ./ai.ts).

import { parseOptions, printError, printJson, registerAiCommand, UsageError } from './aiCommands';
import { evalOnFile, trainFromFile, tryEmbedder } from '../ai/textOps';
import { readDataset } from '../ai/dataset';
import { crossValidate, embedRows } from '../ai/crossValidate';
import type { Metrics } from '../ai/metrics';
import type { TextModelOptions } from '../ai/textModel';
import { taxonomyPrior } from '../ai/prior';
import fs from 'node:fs';
import { DatasetError } from '../ai/dataset';
import { openStore } from '../db/store';
import { createContext } from '../services/core/context';
import { silentLogger } from '../services/core/log';
import { AiService } from '../services/ai/text';
import { AppError } from '../services/core/errors';

const notices = { notice: (m: Record<string, unknown>) => printError(m) };

function need(opts: Record<string, string>, name: string): string {
  const v = opts[name];
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

function folds(opts: Record<string, string>, dflt: number): number {
  const f = opts.folds === undefined ? dflt : Number(opts.folds);
  if (!Number.isInteger(f) || f < 0 || f > 20) throw new UsageError('--folds must be an integer 0–20 (0 = no cross-validation)');
  return f;
}

registerAiCommand('train', {
  usage: 'train --data FILE.csv|.xlsx --out DIR [--folds K] [--no-embeddings] [--no-prior]',
  async run(argv) {
    const { opts, flags } = parseOptions(argv, ['data', 'out', 'folds'], ['no-embeddings', 'no-prior']);
    const data = need(opts, 'data');
    const out = need(opts, 'out');
    const embedder = flags.has('no-embeddings') ? null : await tryEmbedder(notices, { threads: 2 });
    try {
      printJson(await trainFromFile(data, out, { folds: folds(opts, 5), embedder, prior: !flags.has('no-prior') }));
    } finally {
      await embedder?.dispose();
    }
    return 0;
  },
});

registerAiCommand('eval', {
  usage: 'eval --model DIR --data FILE.csv|.xlsx',
  async run(argv) {
    const { opts } = parseOptions(argv, ['model', 'data']);
    const model = need(opts, 'model');
    const data = need(opts, 'data');
    const embedder = await tryEmbedder(notices, { threads: 2 });
    try {
      printJson(await evalOnFile(model, data, embedder));
    } finally {
      await embedder?.dispose();
    }
    return 0;
  },
});

registerAiCommand('cv', {
  usage: 'cv --data FILE.csv|.xlsx [--folds K] [--seeds N] [--only NAME,NAME]   (each variant: mean ± sd over N seeds of K-fold CV)',
  async run(argv) {
    const { opts } = parseOptions(argv, ['data', 'folds', 'seeds', 'only']);
    const data = need(opts, 'data');
    const k = folds(opts, 5);
    if (k < 2) throw new UsageError('--folds must be at least 2');
    const seeds = Number(opts.seeds ?? 1);
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > 50) throw new UsageError('--seeds must be an integer 1–50');
    const only = opts.only ? new Set(opts.only.split(',').map((x) => x.trim())) : null;
    const rows = await readDataset(data);
    const embedder = await tryEmbedder(notices, { threads: 2 });
    try {
      const emb = embedder ? await embedRows((t) => embedder.embed(t), rows) : null;
      const labels = [...new Set(rows.map((r) => r.label))];
      const prior = taxonomyPrior(labels);
      const priorEmb = embedder && prior.length ? await embedRows((t) => embedder.embed(t), prior) : null;
      for (const v of cvVariants(emb != null, prior.length > 0)) {
        if (only && !only.has(v.name)) continue;
        const p = v.prior ? { samples: prior, emb: v.emb ? priorEmb : null } : null;
        const rs = Array.from({ length: seeds }, (_, s) => crossValidate(rows, v.emb ? emb : null, v.options, k, s + 1, p));
        printJson({ name: `cv.${v.name}`, what: v.what, n: rows.length, folds: k, seeds, ...spread(rs) });
      }
    } finally {
      await embedder?.dispose();
    }
    return 0;
  },
});

interface CvVariant {
  name: string;
  what: string;
  emb: boolean;
  prior: boolean;
  options: Partial<TextModelOptions>;
}

/** The variants `ai cv` compares; the last is what `train` builds. */
export function cvVariants(hasEmb: boolean, hasPrior: boolean): CvVariant[] {
  const off = { priorKnnWeight: 0, rowKnnWeight: 0 };
  const v: CvVariant[] = [{ name: 'ngram', what: 'character n-gram head', emb: false, prior: false, options: off }];
  if (hasEmb)
    v.push(
      { name: 'embedding', what: 'embedding head', emb: true, prior: false, options: { ...off, embWeight: 1 } },
      { name: 'embedding+ngram', what: 'embedding head 0.7 + n-gram head 0.3', emb: true, prior: false, options: off },
    );
  if (hasPrior) {
    v.push({ name: 'ngram+prior', what: 'n-gram head, taxonomy names as extra samples', emb: false, prior: true, options: off });
    if (hasEmb)
      v.push(
        { name: 'prior-vote', what: 'nearest taxonomy names only (zero-shot, no training rows used)', emb: true, prior: true, options: { priorKnnWeight: 1, rowKnnWeight: 0 } },
        { name: 'embedding+ngram+prior', what: 'the previous train: both heads with taxonomy names as extra samples', emb: true, prior: true, options: off },
        {
          name: 'embedding+ngram+prior+vote',
          what: 'the previous, mixed 0.7 / 0.3 with the nearest taxonomy names\' vote (k 5, temperature 0.05)',
          emb: true,
          prior: true,
          options: { rowKnnWeight: 0 },
        },
        {
          name: 'embedding+ngram+prior+vote+knn',
          what: 'what train builds: the previous, mixed 0.85 / 0.15 with the nearest training rows\' vote (k 5, temperature 0.05)',
          emb: true,
          prior: true,
          options: {},
        },
      );
  }
  return v;
}

function spread(rs: readonly Metrics[]): Record<string, number> {
  const out: Record<string, number> = {};
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  for (const f of ['accuracy', 'macroF1', 'top3'] as const) {
    const xs = rs.map((r) => r[f]);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    out[f] = r4(m);
    out[`${f}Sd`] = r4(xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The street's own model versions, on the same store file as the app.

async function withStreet<T>(db: string, fn: (ai: AiService) => Promise<T>): Promise<T> {
  if (!fs.existsSync(db)) throw new DatasetError(db, null, '数据库文件不存在', `${db}: no such file`);
  const store = await openStore(db);
  const ctx = createContext(store, { log: silentLogger });
  const ai = new AiService(ctx, { autoUpgrade: false, threads: 2 });
  try {
    return await fn(ai);
  } finally {
    await ai.close();
    await store.close();
  }
}

registerAiCommand('retrain', {
  usage: 'retrain --db STORE [--no-embeddings]   (new version from the street history; replaces the current one only when better)',
  async run(argv) {
    const { opts, flags } = parseOptions(argv, ['db'], ['no-embeddings']);
    const db = need(opts, 'db');
    return withStreet(db, async (ai) => {
      await ai.start();
      const st = ai.status();
      if (st.state !== 'ready') throw new Error(`the street's model could not be prepared: ${st.notice ?? 'unknown reason'}`);
      if (st.notice) printError({ notice: st.notice, fallback: 'ngram' });
      printJson(await ai.retrain({ useEmbeddings: !flags.has('no-embeddings') }));
      return 0;
    });
  },
});

registerAiCommand('models', {
  usage: 'models --db STORE   (versions kept, which one is current)',
  async run(argv) {
    const { opts } = parseOptions(argv, ['db']);
    return withStreet(need(opts, 'db'), async (ai) => {
      printJson(await ai.models());
      return 0;
    });
  },
});

registerAiCommand('rollback', {
  usage: 'rollback --db STORE --version V',
  async run(argv) {
    const { opts } = parseOptions(argv, ['db', 'version']);
    const version = need(opts, 'version');
    return withStreet(need(opts, 'db'), async (ai) => {
      try {
        printJson(await ai.rollback(version));
      } catch (e) {
        if (e instanceof AppError) {
          printError({ version, reason: e.message, detail: e.detail });
          return 1;
        }
        throw e;
      }
      return 0;
    });
  },
});
