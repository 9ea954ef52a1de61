// The legend of a choropleth of counts (统计分析 › 网格地图): classes in whole numbers.

/**
 * A count's classes in whole numbers, as `classOf` puts them: [class, lowest, highest], empty
 * classes left out (counts from 1 to 9 were shown as "1 – 2.6", "2.6 – 4.2", …).
 */
export function countClasses(min: number, max: number, classOf: (v: number) => number): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  let from = min;
  while (from <= max) {
    const c = classOf(from);
    // The highest whole number still in class c (classes only grow with the value).
    let lo = from;
    let hi = max;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (classOf(mid) === c) lo = mid;
      else hi = mid - 1;
    }
    out.push([c, from, lo]);
    from = lo + 1;
  }
  return out;
}
