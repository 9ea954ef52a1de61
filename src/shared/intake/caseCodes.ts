// The 数字城管 code mapping table (数字城管编码对照表): GB/T 30428.2 event (事件) and component (部件)
// classes → the dispatch catalog's leaf codes. The city publishes it to streets as reference data
// (feed kind `caseCodeMap`) and maps every incoming 数字城管 case through the latest one it published.
//
// Code structure (GB/T 30428.2): 大类 2 digits + 小类 2 digits, e.g. component 01 公用设施 /
// 0101 上水井盖, event 01 市容环境. An entry of 2 digits maps a whole 大类 (used when its 小类 has no
// entry of its own). `nameSource` says where an entry's class name comes from: `standard` where the
// project is sure it is the standard's wording, `project` where the project named it for its own
// table (to be checked against the standard's text before production use).

import { z } from 'zod/v4';

export const CASE_CLASS_KINDS = ['event', 'component'] as const;
export type CaseClassKind = (typeof CASE_CLASS_KINDS)[number];
export const CASE_CLASS_KIND_LABELS: Record<CaseClassKind, string> = { event: '事件', component: '部件' };

export const caseCodeEntry = z.object({
  kind: z.enum(CASE_CLASS_KINDS, { message: '类别须为 event 或 component' }),
  code: z.string().regex(/^\d{2}(\d{2})?$/, '编码须为2位（大类）或4位（大类+小类）'),
  name: z.string().trim().min(1, '缺少类别名称').max(60, '类别名称过长'),
  /** The catalog leaf code the class maps to. */
  category: z.string().trim().min(1, '缺少目录编码').max(64, '目录编码过长'),
  nameSource: z.enum(['standard', 'project']).default('project'),
});
export type CaseCodeEntry = z.infer<typeof caseCodeEntry>;

export const caseCodeMapPayload = z
  .object({
    version: z.string().trim().min(1, '缺少版本号').max(64, '版本号过长'),
    standard: z.string().trim().max(60).default('GB/T 30428.2'),
    entries: z.array(caseCodeEntry).min(1, '对照表为空').max(2000, '条目过多'),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    for (const e of m.entries) {
      const k = `${e.kind}:${e.code}`;
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `编码重复：${CASE_CLASS_KIND_LABELS[e.kind]} ${e.code}` });
      seen.add(k);
    }
  });
export type CaseCodeMapPayload = z.infer<typeof caseCodeMapPayload>;

/** The entry a case's class maps through: its 小类, else its 大类; null when neither is listed. */
export function mapCaseCode(map: Pick<CaseCodeMapPayload, 'entries'>, kind: CaseClassKind, code: string): CaseCodeEntry | null {
  return map.entries.find((e) => e.kind === kind && e.code === code) ?? map.entries.find((e) => e.kind === kind && e.code === code.slice(0, 2)) ?? null;
}
