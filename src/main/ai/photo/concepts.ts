// Cold-start mapping: what the ImageNet classes see → concepts a street operator names in Chinese →
// categories of the dispatch catalog (full paths, national digital city-management event names).
//
// Each concept lists ImageNet class indices (with the label's first name, checked against the label
// file at load) and the catalog leaves it is evidence for, with weights that sum to 1. A photo's
// evidence for a leaf is Σ over concepts of P(concept) × weight, P(concept) = Σ class probabilities.
//
// Street photos are not ImageNet photos: a street waste container is seen as "mailbox", "pay-phone",
// "parking meter" or "cash machine" (boxy metal street furniture with a slot), and bulky waste on
// the pavement as the furniture or appliance it is. The concepts say so.

export interface ConceptDef {
  /** Chinese name used in the drafted description. */
  zh: string;
  /** [ImageNet class index, the label's first name]. */
  classes: Array<[number, string]>;
  /** Catalog leaf paths with weights (sum 1). */
  leaves: Array<[string, number]>;
  /** Street furniture whose presence is no problem by itself (a bin is not litter). */
  fixture?: true;
}

export const EXPOSED_GARBAGE = '市容环境/暴露垃圾';
export const OVERFLOW = '市容环境/垃圾满溢';
export const PILED_MATERIAL = '市容环境/乱堆物料';
export const BIN_DAMAGED = '公共设施/垃圾箱破损';

export const CONCEPTS: ConceptDef[] = [
  {
    zh: '垃圾桶',
    classes: [[412, 'ashcan'], [569, 'garbage truck']],
    leaves: [[OVERFLOW, 0.45], [EXPOSED_GARBAGE, 0.4], [BIN_DAMAGED, 0.15]],
    fixture: true,
  },
  {
    zh: '街边箱体（疑似垃圾投放箱）',
    classes: [[637, 'mailbox'], [707, 'pay-phone'], [704, 'parking meter'], [480, 'cash machine'], [822, 'steel drum'], [653, 'milk can']],
    leaves: [[OVERFLOW, 0.4], [EXPOSED_GARBAGE, 0.35], [BIN_DAMAGED, 0.25]],
    fixture: true,
  },
  {
    zh: '塑料袋',
    classes: [[728, 'plastic bag'], [797, 'sleeping bag'], [529, 'diaper']],
    leaves: [[EXPOSED_GARBAGE, 0.8], [OVERFLOW, 0.2]],
  },
  {
    zh: '纸箱',
    classes: [[478, 'carton'], [519, 'crate'], [692, 'packet'], [549, 'envelope'], [700, 'paper towel'], [999, 'toilet tissue']],
    leaves: [[EXPOSED_GARBAGE, 0.7], [PILED_MATERIAL, 0.3]],
  },
  {
    zh: '瓶罐杂物',
    classes: [[737, 'pop bottle'], [898, 'water bottle'], [440, 'beer bottle'], [907, 'wine bottle'], [899, 'water jug'], [901, 'whiskey jug'], [720, 'pill bottle'], [455, 'bottlecap'], [463, 'bucket'], [427, 'barrel'], [756, 'rain barrel'], [790, 'shopping basket'], [588, 'hamper']],
    leaves: [[EXPOSED_GARBAGE, 0.85], [OVERFLOW, 0.15]],
  },
  {
    zh: '废旧家具家电',
    classes: [
      [831, 'studio couch'], [765, 'rocking chair'], [559, 'folding chair'], [423, 'barber chair'], [526, 'desk'], [532, 'dining table'],
      [894, 'wardrobe'], [493, 'chiffonier'], [495, 'china cabinet'], [453, 'bookcase'], [548, 'entertainment center'], [830, 'stretcher'],
      [851, 'television'], [664, 'monitor'], [527, 'desktop computer'], [534, 'dishwasher'], [897, 'washer'], [760, 'refrigerator'], [651, 'microwave'], [539, 'doormat'],
    ],
    leaves: [[EXPOSED_GARBAGE, 0.6], [PILED_MATERIAL, 0.4]],
  },
  {
    zh: '木料杂物',
    classes: [[634, 'lumbermill'], [428, 'barrow'], [462, 'broom']],
    leaves: [[PILED_MATERIAL, 0.5], [EXPOSED_GARBAGE, 0.3], ['市容环境/积存垃圾渣土', 0.2]],
  },
  {
    zh: '非机动车',
    classes: [[671, 'mountain bike'], [444, 'bicycle-built-for-two'], [870, 'tricycle'], [880, 'unicycle'], [665, 'moped'], [670, 'motor scooter']],
    leaves: [['街面秩序/非机动车乱停放', 1]],
  },
  {
    zh: '机动车',
    classes: [
      [468, 'cab'], [627, 'limousine'], [656, 'minivan'], [511, 'convertible'], [817, 'sports car'], [609, 'jeep'], [734, 'police van'],
      [717, 'pickup'], [654, 'minibus'], [751, 'racer'], [479, 'car wheel'], [581, 'grille'], [757, 'recreational vehicle'],
    ],
    leaves: [['街面秩序/机动车乱停放', 1]],
  },
  {
    zh: '货车',
    classes: [[675, 'moving van'], [864, 'tow truck'], [867, 'trailer truck']],
    leaves: [['街面秩序/机动车乱停放', 0.6], ['施工管理/渣土车遗撒', 0.4]],
  },
  {
    zh: '施工机械',
    classes: [[517, 'crane'], [561, 'forklift'], [866, 'tractor'], [730, 'plow'], [803, 'snowplow']],
    leaves: [['施工管理/施工占道', 0.6], ['施工管理/工地扬尘', 0.4]],
  },
  {
    zh: '井盖',
    classes: [[640, 'manhole cover']],
    leaves: [['公共设施/井盖破损(缺失)', 1]],
  },
  {
    zh: '交通信号灯',
    classes: [[920, 'traffic light']],
    leaves: [['道路交通/交通信号灯故障', 1]],
  },
  {
    zh: '交通标志',
    classes: [[919, 'street sign'], [733, 'pole']],
    leaves: [['道路交通/交通设施损坏', 1]],
  },
  {
    zh: '摊点推车',
    classes: [[791, 'shopping cart'], [582, 'grocery store']],
    leaves: [['街面秩序/流动摊贩', 0.6], ['街面秩序/占道经营', 0.4]],
  },
  {
    zh: '蚊蝇蟑螂',
    classes: [[308, 'fly'], [314, 'cockroach'], [669, 'mosquito net']],
    leaves: [['卫生健康/病媒生物', 1]],
  },
];

/**
 * Prior over leaves for photos reported from the street: how often each kind of problem comes in
 * with a photo (the demo catalog's relative frequencies of the photo-reported leaves, normalised).
 * It only decides between leaves when the photo itself says little.
 */
export const PHOTO_PRIOR: Array<[string, number]> = [
  [EXPOSED_GARBAGE, 0.3],
  [OVERFLOW, 0.16],
  ['市容环境/积存垃圾渣土', 0.12],
  ['街面秩序/机动车乱停放', 0.1],
  ['街面秩序/占道经营', 0.08],
  ['街面秩序/非机动车乱停放', 0.06],
  [PILED_MATERIAL, 0.06],
  ['道路交通/道路破损', 0.05],
  ['宣传广告/非法小广告', 0.04],
  ['公共设施/井盖破损(缺失)', 0.03],
];

/**
 * ImageNet classes that are no street problem: a photo on which the model puts at least
 * OFF_STREET_MAX of its probability here (an animal, a dish or a drink, a document, scenery, a plant)
 * is not recognized whatever its similarity to street photos. Class groups and the 0.5 were fixed
 * from the label list before looking at any photo split; on the development garbage photos the most
 * this sum reaches is 0.27. Classes a concept names (fly, cockroach: 病媒生物) do not count.
 */
export const OFF_STREET_CLASSES: Array<{ zh: string; from: [number, string]; to: [number, string] }> = [
  { zh: '动物', from: [0, 'tench'], to: [397, 'puffer'] },
  { zh: '饮品杯具', from: [441, 'beer glass'], to: [441, 'beer glass'] },
  { zh: '饮品杯具', from: [504, 'coffee mug'], to: [504, 'coffee mug'] },
  { zh: '饮品杯具', from: [572, 'goblet'], to: [572, 'goblet'] },
  { zh: '饮品杯具', from: [849, 'teapot'], to: [849, 'teapot'] },
  { zh: '文档', from: [916, 'web site'], to: [918, 'crossword puzzle'] },
  { zh: '文档', from: [921, 'book jacket'], to: [922, 'menu'] },
  { zh: '食物饮品', from: [923, 'plate'], to: [969, 'eggnog'] },
  { zh: '自然风景', from: [970, 'alp'], to: [980, 'volcano'] },
  { zh: '植物', from: [984, 'rapeseed'], to: [998, 'ear'] },
];
export const OFF_STREET_MAX = 0.5;

/** Checks the label file is the one the indices were written against. */
export function checkConceptLabels(labels: string[]): void {
  for (const c of CONCEPTS) {
    for (const [idx, name] of c.classes) {
      const first = labels[idx]?.split(',')[0]?.trim();
      if (first !== name) throw new Error(`label ${idx} is "${labels[idx] ?? ''}", expected "${name}"`);
    }
  }
  for (const g of OFF_STREET_CLASSES)
    for (const [idx, name] of [g.from, g.to]) {
      const first = labels[idx]?.split(',')[0]?.trim();
      if (first !== name) throw new Error(`label ${idx} is "${labels[idx] ?? ''}", expected "${name}"`);
    }
}
