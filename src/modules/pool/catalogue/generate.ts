import type { ProductInput } from '../model.ts';

/**
 * A deterministic, realistic product catalogue for the demo pool and the benchmarks: Chinese and
 * English titles over many categories, brands and specs; log-normal prices; skewed rates;
 * coupons on about 40%; heavy-tailed sales; a few near-duplicates offered by several sources.
 */
export type CatalogueSourceKey = 'pdd' | 'jd' | 'taobao' | 'youzan' | 'weimob' | 'mokuai';
export type CatalogueProduct = ProductInput & { sourceKey: CatalogueSourceKey };

interface Category {
  path: [string, string];
  brands: string[];
  nouns: string[];
  specs: string[];
  /** Median price in fen. */
  medianFen: number;
}

const CATEGORIES: Category[] = [
  { path: ['数码', '手机'], brands: ['华为', '小米', 'Apple', 'OPPO', 'vivo', '荣耀', '一加', 'Redmi'], nouns: ['手机', '5G手机', '智能手机', 'iPhone 15', 'iPhone 15 Pro', 'Mate60 Pro', 'Mate 60', 'Redmi Note 13', 'Reno11'], specs: ['128GB', '256GB', '512GB', '8GB+256GB', '12GB+512GB', '黑色', '白色', '远峰蓝'], medianFen: 299_900 },
  { path: ['数码', '充电宝'], brands: ['罗马仕', '小米', 'Anker', '倍思', '绿联'], nouns: ['充电宝', '移动电源', '磁吸充电宝', 'power bank'], specs: ['10000毫安', '20000毫安', '20000mAh', '22.5W快充', 'PD 20W', '自带线'], medianFen: 9_900 },
  { path: ['数码', '耳机'], brands: ['Apple', '华为', '索尼', 'JBL', '漫步者', '小米'], nouns: ['蓝牙耳机', '降噪耳机', 'AirPods Pro', 'FreeBuds', '头戴式耳机', 'wireless earbuds'], specs: ['主动降噪', '无线充电', '运动款', '第二代'], medianFen: 39_900 },
  { path: ['数码', '手机配件'], brands: ['倍思', '绿联', 'ESR', '图拉斯', '品胜'], nouns: ['手机壳', '钢化膜', '数据线', '充电器', '手机支架'], specs: ['iPhone 15', 'Mate60', '1米', '2米', '65W', '磁吸', '防摔'], medianFen: 2_990 },
  { path: ['家电', '厨房电器'], brands: ['美的', '九阳', '苏泊尔', '小熊', '摩飞'], nouns: ['电饭煲', '空气炸锅', '破壁机', '电水壶', '料理机', '豆浆机'], specs: ['4L', '5L', '1.5L', '家用', '智能预约', '大容量'], medianFen: 29_900 },
  { path: ['家电', '生活电器'], brands: ['戴森', '美的', '追觅', '科沃斯', '飞利浦', '小米'], nouns: ['吸尘器', '扫地机器人', '吹风机', '电风扇', '加湿器', '空气净化器'], specs: ['无线', '大吸力', '负离子', '静音', '家用'], medianFen: 89_900 },
  { path: ['美妆', '护肤'], brands: ['兰蔻', '雅诗兰黛', '珀莱雅', '薇诺娜', '欧莱雅', '自然堂', 'SK-II'], nouns: ['精华', '面霜', '面膜', '水乳套装', '眼霜', '小黑瓶精华', '爽肤水'], specs: ['50ml', '30ml', '100ml', '补水保湿', '抗皱紧致', '敏感肌', '10片装'], medianFen: 29_900 },
  { path: ['美妆', '彩妆'], brands: ['完美日记', '花西子', 'YSL', '迪奥', 'MAC', '3CE'], nouns: ['口红', '粉底液', '眼影盘', '散粉', '唇釉', '气垫'], specs: ['哑光', '持久', '#999', '正红色', '自然色', '控油'], medianFen: 15_900 },
  { path: ['个护', '洗护'], brands: ['海飞丝', '潘婷', '舒肤佳', '多芬', '云南白药', '高露洁'], nouns: ['洗发水', '沐浴露', '牙膏', '护发素', '电动牙刷'], specs: ['500ml', '750ml', '去屑', '清爽控油', '家庭装', '3支装'], medianFen: 4_990 },
  { path: ['食品', '休闲零食'], brands: ['三只松鼠', '良品铺子', '百草味', '卫龙', '旺旺'], nouns: ['坚果礼盒', '每日坚果', '芒果干', '辣条', '牛肉干', '零食大礼包'], specs: ['1.5kg', '500g', '30袋', '120g*3袋', '礼盒装', '整箱'], medianFen: 5_990 },
  { path: ['食品', '饮料冲调'], brands: ['农夫山泉', '元气森林', '蒙牛', '伊利', '雀巢', '三顿半'], nouns: ['矿泉水', '气泡水', '纯牛奶', '咖啡', '速溶咖啡', '酸奶'], specs: ['500ml*24瓶', '250ml*12盒', '24颗', '整箱', '无糖'], medianFen: 4_990 },
  { path: ['母婴', '尿裤湿巾'], brands: ['帮宝适', '花王', '好奇', '大王', '全棉时代'], nouns: ['纸尿裤', '拉拉裤', '婴儿湿巾', '棉柔巾'], specs: ['L码', 'XL码', '80片', '100抽*6包', '超薄透气'], medianFen: 12_900 },
  { path: ['服饰', '女装'], brands: ['优衣库', 'ZARA', '太平鸟', '欧时力', '波司登'], nouns: ['羽绒服', '连衣裙', '针织衫', '卫衣', '牛仔裤', '风衣'], specs: ['长款', '短款', '宽松', '显瘦', 'S', 'M', 'L', '2026冬季新款'], medianFen: 29_900 },
  { path: ['服饰', '男装'], brands: ['海澜之家', '优衣库', '李宁', '森马', '杰克琼斯'], nouns: ['夹克', '羽绒服', '衬衫', 'T恤', '休闲裤', '卫衣'], specs: ['纯棉', '加绒', '商务', 'XL', 'XXL', '黑色'], medianFen: 19_900 },
  { path: ['鞋包', '运动鞋'], brands: ['耐克', '阿迪达斯', '安踏', '李宁', '特步', 'New Balance'], nouns: ['跑步鞋', '篮球鞋', '运动鞋', '板鞋', 'running shoes'], specs: ['42码', '41码', '透气', '减震', '男款', '女款'], medianFen: 39_900 },
  { path: ['家居', '床上用品'], brands: ['南极人', '罗莱', '富安娜', '水星家纺', '博洋'], nouns: ['四件套', '蚕丝被', '枕头', '乳胶枕', '夏凉被', '床垫'], specs: ['1.8m床', '1.5m床', '纯棉', '加厚', '全棉磨毛'], medianFen: 19_900 },
  { path: ['家居', '收纳清洁'], brands: ['茶花', '妙洁', '3M', '天章', '太力'], nouns: ['收纳箱', '垃圾袋', '拖把', '抹布', '真空压缩袋'], specs: ['大号', '3个装', '加厚', '100只', '免手洗'], medianFen: 3_990 },
  { path: ['运动', '健身'], brands: ['Keep', '迪卡侬', '李宁', '小米', '华为'], nouns: ['瑜伽垫', '哑铃', '跳绳', '智能手环', '运动手表', '筋膜枪'], specs: ['加厚', '10kg', '计数', 'NFC', '防水'], medianFen: 14_900 },
  { path: ['图书', '童书'], brands: ['中信出版', '人民文学', '接力出版社', '新星出版社'], nouns: ['绘本', '科普百科', '儿童文学', '漫画书', '经典名著'], specs: ['全套10册', '注音版', '精装', '3-6岁', '彩图版'], medianFen: 6_990 },
  { path: ['宠物', '猫狗用品'], brands: ['皇家', '渴望', '伯纳天纯', '网易严选', '麦富迪'], nouns: ['猫粮', '狗粮', '猫砂', '冻干', '宠物零食'], specs: ['2kg', '10kg', '成猫', '幼犬', '豆腐猫砂'], medianFen: 12_900 },
];

const SOURCE_KEYS: CatalogueSourceKey[] = ['pdd', 'jd', 'taobao', 'youzan', 'weimob', 'mokuai'];
/** Platform sources carry most of a real pool; merchant mini-programs less. */
const SOURCE_WEIGHTS = [30, 25, 25, 8, 6, 6];
const SHOP_SUFFIXES = ['官方旗舰店', '旗舰店', '自营店', '专卖店', '优选店', '工厂店'];
const MARKETING = ['', '', '', '【官方正品】', '包邮 ', '2026新款 ', '【爆款】'];

/** mulberry32: a tiny seeded PRNG, so a seed gives the same catalogue everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function weighted<T>(random: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** Standard normal by Box–Muller. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A log-normal price around the category's median that ends like real ones: 59.90, 59.99, 60.00. */
function realisticPriceFen(random: () => number, medianFen: number): number {
  const raw = Math.exp(Math.log(medianFen) + 0.7 * gaussian(random));
  const yuan = Math.min(100_000, Math.max(1, Math.round(raw / 100)));
  const offsetFen = pick(random, [10, 1, 0]);
  return Math.max(1, yuan * 100 - offsetFen);
}

export function* generateCatalogue(n: number, seed: number): Generator<CatalogueProduct> {
  const random = rng(seed);
  let previous: CatalogueProduct | null = null;
  for (let i = 0; i < n; i++) {
    const sourceKey = weighted(random, SOURCE_KEYS, SOURCE_WEIGHTS);
    // About 3% are the previous product offered again by another source, at a close price.
    if (previous && random() < 0.03 && previous.sourceKey !== sourceKey) {
      const priceMinor = Math.max(1, previous.priceMinor + Math.round(previous.priceMinor * (random() * 0.2 - 0.1)));
      yield { ...previous, sourceKey, sourceProductId: `${sourceKey}-${seed}-${i}`, priceMinor, commissionRateBps: 100 + Math.floor(random() * 3000), title: `${pick(random, MARKETING)}${previous.title}`.trim() };
      continue;
    }
    const category = pick(random, CATEGORIES);
    const brand = pick(random, category.brands);
    const noun = pick(random, category.nouns);
    const specs = [pick(random, category.specs), random() < 0.5 ? pick(random, category.specs) : ''].filter((s, k, all) => s && all.indexOf(s) === k);
    const title = `${pick(random, MARKETING)}${brand} ${noun} ${specs.join(' ')}`.replace(/\s+/g, ' ').trim();
    const priceMinor = realisticPriceFen(random, category.medianFen);
    const hasCoupon = random() < 0.4;
    const couponAmount = hasCoupon ? Math.max(100, Math.round((priceMinor * (0.05 + random() * 0.25)) / 100) * 100) : 0;
    const rateBps = Math.round(100 + Math.pow(random(), 2.2) * 4900);
    const sales = Math.floor(Math.pow(random(), 6) * 200_000);
    const product: CatalogueProduct = {
      sourceKey,
      sourceProductId: `${sourceKey}-${seed}-${i}`,
      title,
      brand,
      categoryPath: [...category.path],
      images: [`https://img.vitrine.example/${seed.toString(36)}/${i.toString(36)}.jpg`],
      priceMinor,
      currency: 'CNY',
      coupon: hasCoupon && couponAmount < priceMinor ? { amountMinor: couponAmount, thresholdMinor: random() < 0.5 ? 0 : priceMinor - (priceMinor % 1000), startsAt: null, endsAt: null } : null,
      commissionRateBps: sourceKey === 'youzan' || sourceKey === 'weimob' ? (random() < 0.3 ? null : rateBps) : rateBps,
      sales30d: sales,
      shopName: `${brand}${pick(random, SHOP_SUFFIXES)}`,
      shopScore: 420 + Math.floor(random() * 81),
      productUrl: `https://item.vitrine.example/${sourceKey}/${i}`,
      online: true,
    };
    previous = product;
    yield product;
  }
}
