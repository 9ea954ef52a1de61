// The named seasons of 按季施策, fixed calendar windows (month-day, both days included) of the
// city's own calendar: 开学季 (the school terms start in late February and on 1 September),
// 汛期 (Henan's flood season, 1 June – 30 September) and 供暖季 (Zhengzhou's heating period,
// 15 November – 15 March; the demo street's heating complaints follow the same dates).

export interface NamedSeason {
  name: string;
  /** Windows as [MM-DD, MM-DD]; a window whose end is before its start runs over the new year. */
  windows: ReadonlyArray<readonly [string, string]>;
}

export const SEASONS: readonly NamedSeason[] = [
  { name: '开学季', windows: [['02-15', '03-10'], ['08-20', '09-15']] },
  { name: '汛期', windows: [['06-01', '09-30']] },
  { name: '供暖季', windows: [['11-15', '03-15']] },
];

function inWindow(md: string, [a, b]: readonly [string, string]): boolean {
  return a <= b ? md >= a && md <= b : md >= a || md <= b;
}

/** The seasons any day of [from, to) (YYYY-MM-DD, at most a few weeks) falls in, in SEASONS order. */
export function seasonsIn(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t < end && days.length < 400; t += 86_400_000) days.push(new Date(t).toISOString().slice(5, 10));
  return SEASONS.filter((s) => days.some((d) => s.windows.some((w) => inWindow(d, w)))).map((s) => s.name);
}
