// The cast of the demo: the 2020 quality-improvement competition of Tianjin Binhai New Area, as the
// seed document describes it (14 / 26 / 32 / 45 awards, 5 excellent recommending units). Names are
// realistic but invented; the same seed always gives the same cast and the same marks.
import { generateUscc } from '../judging/uscc.js';

/** mulberry32: small, fast, good enough for plausible demo data; deterministic per seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** A normal variate (Box–Muller). */
export function gaussian(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export const UNITS: { name: string; kind: string }[] = [
  { name: '天津经济技术开发区市场监督管理局', kind: 'dev_zone_regulator' },
  { name: '天津港保税区市场监督管理局', kind: 'dev_zone_regulator' },
  { name: '滨海高新技术产业开发区市场监督管理局', kind: 'dev_zone_regulator' },
  { name: '中新天津生态城市场监督管理局', kind: 'dev_zone_regulator' },
  { name: '东疆保税港区市场监督管理局', kind: 'dev_zone_regulator' },
  { name: '滨海新区质量协会', kind: 'industry_association' },
  { name: '滨海新区化工行业协会', kind: 'industry_association' },
  { name: '滨海新区机械工业协会', kind: 'industry_association' },
  { name: '滨海新区电子信息行业协会', kind: 'industry_association' },
  { name: '滨海新区建筑业协会', kind: 'industry_association' },
  { name: '滨海新区现代服务业协会', kind: 'industry_association' },
  { name: '塘沽街道办事处', kind: 'street_town' },
  { name: '新港街道办事处', kind: 'street_town' },
  { name: '杭州道街道办事处', kind: 'street_town' },
  { name: '新河街道办事处', kind: 'street_town' },
  { name: '泰达街道办事处', kind: 'street_town' },
  { name: '汉沽街道办事处', kind: 'street_town' },
  { name: '大港街道办事处', kind: 'street_town' },
  { name: '北塘街道办事处', kind: 'street_town' },
  { name: '新城镇人民政府', kind: 'street_town' },
];

export const INDUSTRIES = ['制造', '服务', '建设工程', '能源化工'] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const TRACKS: { name: string; industry: Industry; entryType: 'problem_solving' | 'innovation' | null }[] = [
  { name: '制造类·问题解决型', industry: '制造', entryType: 'problem_solving' },
  { name: '制造类·创新型', industry: '制造', entryType: 'innovation' },
  { name: '服务类', industry: '服务', entryType: null },
  { name: '建设工程类', industry: '建设工程', entryType: null },
  { name: '能源化工类', industry: '能源化工', entryType: null },
];

const PLACES = ['滨海', '泰达', '津港', '渤海', '海河', '临港', '北塘', '汉沽', '大港', '新港', '东疆', '海滨', '津南', '塘沽', '华北', '津滨', '海晶', '天保', '港城', '开发区'];
const CORES: Record<Industry, string[]> = {
  制造: ['精密机械', '汽车零部件', '电子科技', '智能装备', '新材料', '医疗器械', '轴承', '电气', '光电', '金属制品', '航空部件', '包装'],
  服务: ['物流', '港口服务', '供电服务', '燃气', '公交', '银行', '医院', '物业管理', '水务', '通信'],
  建设工程: ['建工集团', '路桥工程', '市政工程', '安装工程', '建材', '钢结构'],
  能源化工: ['石化', '化工', '精细化工', '炼化', '新能源', '热电'],
};
const SUFFIX: Record<Industry, string[]> = {
  制造: ['有限公司', '股份有限公司', '制造有限公司'],
  服务: ['有限公司', '集团有限公司', '分公司'],
  建设工程: ['有限公司', '集团有限公司'],
  能源化工: ['有限公司', '股份有限公司'],
};

export interface DemoEnterprise {
  name: string;
  uscc: string;
  industry: Industry;
  unitIndex: number;
}

/** ~150 enterprises, unique names and credit codes, each with a default recommending unit. */
export function enterprises(rng: () => number, count: number): DemoEnterprise[] {
  const out: DemoEnterprise[] = [];
  const names = new Set<string>();
  const codes = new Set<string>();
  const weights: Industry[] = ['制造', '制造', '制造', '服务', '建设工程', '能源化工'];
  while (out.length < count) {
    const industry = pick(rng, weights);
    const name = `天津${pick(rng, PLACES)}${pick(rng, CORES[industry])}${pick(rng, SUFFIX[industry])}`;
    if (names.has(name)) continue;
    const uscc = generateUscc(rng);
    if (codes.has(uscc)) continue;
    names.add(name);
    codes.add(uscc);
    // Industry associations recommend their industry; zones and streets recommend the rest.
    const unitIndex = industry === '能源化工' && rng() < 0.5 ? 6 : industry === '建设工程' && rng() < 0.5 ? 9 : Math.floor(rng() * UNITS.length);
    out.push({ name, uscc, industry, unitIndex });
  }
  return out;
}

const PS_TOPICS = ['降低', '提高', '减少', '缩短', '提升'];
const PS_OBJECTS: Record<Industry, string[]> = {
  制造: ['焊接工序不良率', '装配线停机时间', '轴承外圈磨削尺寸超差率', '注塑件缩痕缺陷率', '电路板虚焊率', '产品一次交检合格率', '换模时间', '喷涂色差返工率'],
  服务: ['客户投诉率', '集装箱平均滞港时间', '抢修平均到达时间', '窗口业务办理时长', '门诊患者等候时间', '配送差错率'],
  建设工程: ['混凝土外观质量缺陷率', '钢筋保护层厚度偏差', '管道焊口一次合格率', '砌体工程返工率', '防水渗漏发生率'],
  能源化工: ['装置非计划停车次数', '催化剂单耗', '换热器结垢速率', '危废产生量', '蒸汽管网热损失率', '机泵故障率'],
};
const INNOVATION = ['研制', '研发', '设计'];
const INNOVATION_OBJECTS = ['一种自动上下料装置', '智能在线检测系统', '新型快速换模夹具', '焊缝视觉识别装置', '多工位柔性装配工装', '零件防错检测仪', '电缆自动剥线机', '管道内壁检测机器人'];

export function entryTitle(rng: () => number, industry: Industry, type: 'problem_solving' | 'innovation'): string {
  if (type === 'innovation') return `${pick(rng, INNOVATION)}${pick(rng, INNOVATION_OBJECTS)}`;
  return `${pick(rng, PS_TOPICS)}${pick(rng, PS_OBJECTS[industry])}`;
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文';
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '建华', '志强', '海燕', '晓东', '国庆', '春梅', '立新'];

export function personName(rng: () => number): string {
  return `${SURNAMES[Math.floor(rng() * SURNAMES.length)]}${pick(rng, GIVEN)}`;
}

const JOBS = ['工程师', '高级工程师', '技术员', '班组长', '质量主管', '工艺员', '操作工', '车间主任'];
const TEAM_WORDS = ['攻坚', '创新', '精益', '匠心', '启航', '先锋', '卓越', '求精', '腾飞', '聚力'];

export function team(rng: () => number) {
  const size = 5 + Math.floor(rng() * 6);
  const members = Array.from({ length: size }, (_, i) => ({ name: personName(rng), jobTitle: pick(rng, JOBS), role: i === 0 ? '组长' : i === 1 ? '副组长' : '组员' }));
  return { name: `${pick(rng, TEAM_WORDS)}QC小组`, leader: members[0].name, members };
}

export const EXPERT_TITLES = ['高级工程师', '正高级工程师', '教授', '副教授', '注册质量工程师', '高级经济师'];
export const EXPERT_FIELDS: Record<Industry, string[]> = {
  制造: ['机械制造', '质量管理'],
  服务: ['服务质量', '质量管理'],
  建设工程: ['工程管理', '质量管理'],
  能源化工: ['化工工艺', '质量管理'],
};

/** Methods and specialties per industry (the organizer's list for assignment by expertise); experts take all of theirs, entries the first one or two. */
export const EXPERT_TOPICS: Record<Industry, string[]> = {
  制造: ['工艺', '设备', '统计技术'],
  服务: ['服务', '统计技术'],
  建设工程: ['安全', '工艺'],
  能源化工: ['安全', '设备'],
};
