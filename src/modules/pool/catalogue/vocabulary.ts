/**
 * What the synthetic catalogue is made of: leaf categories with their brands (and the models real
 * listings name), product nouns, spec slots, selling points and price levels; and the decorations
 * every Chinese listing carries. Written to read like the titles on JD, Taobao and Pinduoduo.
 */
export interface Brand {
  name: string;
  /** Latin name some listings add after the Chinese one (华为HUAWEI). */
  alias?: string;
  models?: string[];
}

export interface Leaf {
  path: [string, string];
  brands: Brand[];
  nouns: string[];
  /** Each slot contributes one value, or nothing, to a title. */
  specs: string[][];
  /**
   * Slots for particular nouns, where the leaf's own would make a title no shop writes (a water
   * heater of 65 inches); as many slots as `specs`, so a title takes as many draws either way.
   */
  nounSpecs?: Record<string, string[][]>;
  points: string[];
  /** English nouns for the few listings written in English. */
  english: string[];
  medianFen: number;
  /**
   * The highest open rate a listing of this kind carries: phones and computers pay a few percent,
   * skincare and small brands up to half (as on the real platforms' affiliate pools).
   */
  rateCapBps: number;
}

const b = (name: string, alias?: string, models?: string[]): Brand => ({ name, alias, models });

export const LEAVES: Leaf[] = [
  {
    path: ['数码', '手机'], medianFen: 299_900, rateCapBps: 500,
    brands: [b('华为', 'HUAWEI', ['Mate 60 Pro', 'Mate60', 'Mate 70', 'Pura 70', 'nova 12', 'nova12 Ultra']), b('Apple', '苹果', ['iPhone 15', 'iPhone 15 Pro', 'iPhone 15 Pro Max', 'iPhone 14', 'iPhone 16']), b('小米', 'Xiaomi', ['小米14', '小米14 Ultra', 'Redmi K70', 'Redmi Note 13']), b('OPPO', undefined, ['Reno11', 'Find X7', 'A3 Pro']), b('vivo', undefined, ['X100', 'S18', 'iQOO 12']), b('荣耀', 'HONOR', ['Magic6', '荣耀90', 'X50']), b('一加', 'OnePlus', ['一加12', 'Ace 3'])],
    nouns: ['手机', '5G手机', '智能手机', '全网通手机', '旗舰手机', '拍照手机'],
    specs: [['128GB', '256GB', '512GB', '1TB', '8GB+256GB', '12GB+256GB', '12GB+512GB', '16GB+1TB'], ['黑色', '白色', '远峰蓝', '雅川青', '原色钛金属', '曜石黑', '冰川蓝']],
    points: ['卫星通话', '超长续航', '徕卡影像', '骁龙8Gen3', '鸿蒙系统', '双卡双待', '学生游戏', '国行正品', '官方直降', '120W快充', '曲面屏'],
    english: ['Smartphone', '5G Phone', 'Unlocked Cell Phone'],
  },
  {
    path: ['数码', '手机配件'], medianFen: 2_990, rateCapBps: 3000,
    brands: [b('倍思', 'Baseus'), b('绿联', 'UGREEN'), b('ESR', '亿色'), b('图拉斯', 'TORRAS'), b('品胜'), b('闪魔'), b('摩斯维')],
    nouns: ['手机壳', '钢化膜', '数据线', '充电器', '手机支架', '保护套', '车载支架', '快充头'],
    specs: [['适用iPhone15', '适用iPhone 15 Pro', '适用华为Mate60', '适用小米14', '适用Mate 60 Pro', '通用', 'Type-C'], ['1米', '2米', '20W', '65W', '磁吸', '透明', '硅胶']],
    points: ['防摔', '全包', '防指纹', '高清', '不伤机', '超薄', '防窥', '编织线', '快充', '镜头全包'],
    english: ['Phone Case', 'Screen Protector', 'USB C Cable', 'Fast Charger'],
  },
  {
    path: ['数码', '充电宝'], medianFen: 9_900, rateCapBps: 2000,
    brands: [b('罗马仕', 'ROMOSS'), b('小米', 'Xiaomi'), b('Anker', '安克'), b('倍思', 'Baseus'), b('绿联', 'UGREEN'), b('公牛')],
    nouns: ['充电宝', '移动电源', '磁吸充电宝', '无线充电宝', '自带线充电宝'],
    specs: [['5000毫安', '10000毫安', '10000mAh', '20000毫安', '20000mAh', '20000毫安时', '30000mAh'], ['22.5W快充', 'PD20W', '65W', '双向快充']],
    points: ['大容量', '超薄便携', '可上飞机', '自带线', '苹果华为通用', 'LED数显', '迷你小巧'],
    english: ['Power Bank', 'Portable Charger'],
  },
  {
    path: ['数码', '耳机'], medianFen: 39_900, rateCapBps: 1500,
    brands: [b('Apple', '苹果', ['AirPods Pro 2', 'AirPods 4']), b('华为', 'HUAWEI', ['FreeBuds Pro 3', 'FreeBuds 5i']), b('索尼', 'SONY', ['WH-1000XM5', 'WF-1000XM5']), b('漫步者', 'EDIFIER'), b('JBL'), b('小米', 'Xiaomi', ['Redmi Buds 5'])],
    nouns: ['蓝牙耳机', '降噪耳机', '无线耳机', '头戴式耳机', '运动耳机'],
    specs: [['主动降噪', '半入耳式', '入耳式', '骨传导'], ['白色', '黑色', '第二代', '第三代']],
    points: ['超长续航', '低延迟', '高音质', '游戏电竞', '跑步运动', '无线充电', '空间音频'],
    english: ['Wireless Earbuds', 'Noise Cancelling Headphones', 'Bluetooth Headset'],
  },
  {
    path: ['数码', '电脑'], medianFen: 499_900, rateCapBps: 500,
    brands: [b('联想', 'Lenovo', ['拯救者Y9000P', '小新Pro14', 'ThinkPad X1']), b('华为', 'HUAWEI', ['MateBook 14', 'MateBook X Pro']), b('Apple', '苹果', ['MacBook Air M3', 'MacBook Pro 14']), b('戴尔', 'DELL'), b('华硕', 'ASUS', ['天选5', '无畏Pro15'])],
    nouns: ['笔记本电脑', '游戏本', '轻薄本', '平板电脑'],
    specs: [['16GB+512GB', '32GB+1TB', '8GB+256GB'], ['i7-13700H', 'i5-13500H', 'RTX4060', 'R7-7840H', 'M3芯片']],
    points: ['2.5K高刷屏', '长续航', '学生办公', '电竞游戏', '轻薄便携', '高色域'],
    english: ['Laptop', 'Gaming Laptop', 'Tablet'],
  },
  {
    path: ['家电', '厨房电器'], medianFen: 29_900, rateCapBps: 1500,
    brands: [b('美的', 'Midea'), b('九阳', 'Joyoung'), b('苏泊尔', 'SUPOR'), b('小熊', 'Bear'), b('摩飞', 'Morphy Richards'), b('老板')],
    nouns: ['空气炸锅', '电饭煲', '破壁机', '电热水壶', '料理机', '豆浆机', '微波炉', '电压力锅'],
    specs: [['3L', '4L', '5L', '6L', '1.5L', '1.7L'], ['家用', '智能预约', '可视', '多功能']],
    nounSpecs: {
      电热水壶: [['1.5L', '1.7L', '1.8L'], ['家用', '保温', '恒温', '304不锈钢']],
      破壁机: [['1.2L', '1.5L', '1.75L'], ['家用', '静音', '加热', '多功能']],
      料理机: [['1.2L', '1.5L', '2L'], ['家用', '多功能', '绞肉', '辅食']],
      豆浆机: [['1L', '1.2L', '1.3L'], ['家用', '免滤', '智能预约', '多功能']],
      微波炉: [['20L', '23L', '25L'], ['家用', '变频', '光波', '微烤一体']],
    },
    points: ['大容量', '无油低脂', '一键操作', '不粘内胆', '304不锈钢', '静音', '定时预约', '以旧换新'],
    english: ['Air Fryer', 'Rice Cooker', 'Blender', 'Electric Kettle'],
  },
  {
    path: ['家电', '生活电器'], medianFen: 89_900, rateCapBps: 1500,
    brands: [b('戴森', 'Dyson', ['V12', 'V15', 'HD15']), b('美的', 'Midea'), b('追觅', 'dreame'), b('科沃斯', 'ECOVACS', ['T30', 'X2']), b('飞利浦', 'PHILIPS'), b('石头', 'Roborock')],
    nouns: ['吸尘器', '扫地机器人', '吹风机', '电风扇', '加湿器', '空气净化器', '洗地机'],
    specs: [['无线', '手持', '落地扇', '台式'], ['白色', '灰色', '大吸力', '负离子']],
    nounSpecs: {
      扫地机器人: [['扫拖一体', '自清洁', '上下水'], ['白色', '黑色', '激光导航', '自动集尘']],
      吹风机: [['高速', '大功率', '折叠'], ['白色', '灰色', '负离子', '恒温护发']],
      电风扇: [['落地扇', '台式', '塔扇', '循环扇'], ['白色', '遥控', '静音', '直流变频']],
      加湿器: [['4L', '5L', '上加水'], ['白色', '静音', '大雾量', '卧室']],
      空气净化器: [['除甲醛', '除过敏原'], ['白色', '灰色', '负离子', '卧室']],
    },
    points: ['自动集尘', '扫拖一体', '静音', '除螨', '高速', '智能APP', '母婴适用'],
    english: ['Vacuum Cleaner', 'Robot Vacuum', 'Hair Dryer', 'Air Purifier'],
  },
  {
    path: ['家电', '大家电'], medianFen: 299_900, rateCapBps: 600,
    brands: [b('海尔', 'Haier'), b('美的', 'Midea'), b('格力', 'GREE'), b('小米', 'Xiaomi'), b('TCL'), b('海信', 'Hisense')],
    nouns: ['空调', '冰箱', '洗衣机', '电视', '烘干机', '热水器'],
    specs: [['一级能效', '新一级能效', '家用'], ['变频', '智能', '节能']],
    nounSpecs: {
      空调: [['1.5匹', '大1匹', '2匹', '3匹柜机'], ['变频', '一级能效', '新一级能效', '冷暖']],
      冰箱: [['452升', '500升', '十字对开门', '法式多门'], ['变频', '一级能效', '风冷无霜']],
      洗衣机: [['10公斤', '12公斤', '滚筒', '洗烘一体'], ['变频', '一级能效', '除菌']],
      电视: [['55英寸', '65英寸', '75英寸', '85英寸'], ['4K超高清', 'MiniLED', '120Hz']],
      烘干机: [['10公斤', '热泵式'], ['变频', '一级能效', '除菌']],
      热水器: [['60升', '80升', '16升燃气', '13升燃气'], ['变频', '一级能效', '零冷水']],
    },
    points: ['以旧换新', '省电', '智能互联', '送装一体', '国家补贴', '全国联保', '家电补贴'],
    english: ['Air Conditioner', 'Refrigerator', 'Washing Machine', 'Smart TV'],
  },
  {
    path: ['美妆', '护肤'], medianFen: 29_900, rateCapBps: 5000,
    brands: [b('兰蔻', 'LANCOME'), b('雅诗兰黛', 'Estee Lauder'), b('珀莱雅', 'PROYA'), b('薇诺娜', 'WINONA'), b('欧莱雅', "L'OREAL"), b('自然堂'), b('SK-II'), b('百雀羚'), b('海蓝之谜', 'LA MER')],
    nouns: ['精华', '面霜', '面膜', '水乳套装', '眼霜', '小黑瓶精华', '爽肤水', '洗面奶', '防晒霜', '精华液'],
    specs: [['30ml', '50ml', '100ml', '10片装', '20片', '套装'], ['补水保湿', '抗皱紧致', '美白淡斑', '舒缓修护', '控油祛痘']],
    points: ['敏感肌可用', '玻尿酸', '烟酰胺', '提亮肤色', '温和不刺激', '礼盒装', '送女友', '官方正品'],
    english: ['Face Serum', 'Moisturizer', 'Sheet Mask', 'Sunscreen'],
  },
  {
    path: ['美妆', '彩妆'], medianFen: 15_900, rateCapBps: 5000,
    brands: [b('完美日记', 'Perfect Diary'), b('花西子', 'Florasis'), b('圣罗兰', 'YSL'), b('迪奥', 'Dior'), b('MAC', '魅可'), b('3CE'), b('阿玛尼', 'ARMANI')],
    nouns: ['口红', '唇釉', '粉底液', '眼影盘', '散粉', '气垫', '唇泥', '眉笔'],
    specs: [['#999', '#1966', '正红色', '豆沙色', '自然色', '象牙白'], ['哑光', '滋润', '持妆', '丝绒']],
    points: ['不易脱色', '显白', '学生平价', '礼盒装', '送女友', '控油', '遮瑕', '持久不脱妆'],
    english: ['Lipstick', 'Foundation', 'Eyeshadow Palette'],
  },
  {
    path: ['个护', '洗护'], medianFen: 4_990, rateCapBps: 3000,
    brands: [b('海飞丝'), b('潘婷', 'PANTENE'), b('舒肤佳', 'Safeguard'), b('多芬', 'Dove'), b('云南白药'), b('高露洁', 'Colgate'), b('飞利浦', 'PHILIPS'), b('欧乐B', 'Oral-B')],
    nouns: ['洗发水', '沐浴露', '牙膏', '护发素', '电动牙刷', '洗手液', '身体乳'],
    specs: [['400ml', '500ml', '750ml', '1kg', '3支装', '家庭装'], ['去屑', '控油', '清爽', '滋润', '美白']],
    points: ['持久留香', '男女通用', '无硅油', '氨基酸', '温和', '囤货装', '家庭装'],
    english: ['Shampoo', 'Body Wash', 'Toothpaste', 'Electric Toothbrush'],
  },
  {
    path: ['食品', '休闲零食'], medianFen: 5_990, rateCapBps: 3000,
    brands: [b('三只松鼠'), b('良品铺子'), b('百草味'), b('卫龙'), b('旺旺'), b('来伊份'), b('好欢螺')],
    nouns: ['每日坚果', '坚果礼盒', '芒果干', '辣条', '牛肉干', '零食大礼包', '螺蛳粉', '肉松饼', '碧根果'],
    specs: [['500g', '750g', '1kg', '1.5kg', '30袋', '120g*3袋', '整箱'], ['原味', '麻辣味', '五香味', '混合装']],
    points: ['休闲零食', '办公室', '年货', '送礼', '独立小包装', '儿童孕妇', '网红', '解馋'],
    english: ['Mixed Nuts', 'Beef Jerky', 'Snack Box'],
  },
  {
    path: ['食品', '饮料冲调'], medianFen: 4_990, rateCapBps: 2500,
    brands: [b('农夫山泉'), b('元气森林'), b('蒙牛'), b('伊利'), b('雀巢', 'Nestle'), b('三顿半'), b('瑞幸', 'luckin')],
    nouns: ['矿泉水', '气泡水', '纯牛奶', '咖啡', '速溶咖啡', '酸奶', '挂耳咖啡', '茶饮料'],
    specs: [['500ml*24瓶', '250ml*12盒', '250ml*24盒', '24颗', '18g*10条'], ['整箱', '无糖', '0糖0卡', '全脂']],
    points: ['早餐', '提神', '冷萃', '学生', '家庭装', '年货', '新日期'],
    english: ['Instant Coffee', 'Sparkling Water', 'Whole Milk'],
  },
  {
    path: ['母婴', '尿裤湿巾'], medianFen: 12_900, rateCapBps: 2000,
    brands: [b('帮宝适', 'Pampers'), b('花王', 'Merries'), b('好奇', 'Huggies'), b('大王', 'GOO.N'), b('全棉时代'), b('babycare')],
    nouns: ['纸尿裤', '拉拉裤', '婴儿湿巾', '棉柔巾', '尿不湿'],
    specs: [['NB码', 'S码', 'M码', 'L码', 'XL码', 'XXL码'], ['80片', '100抽*6包', '52片', '整箱']],
    points: ['超薄透气', '干爽', '新生儿', '夜用', '囤货装', '柔软亲肤'],
    english: ['Diapers', 'Baby Wipes'],
  },
  {
    path: ['母婴', '奶粉辅食'], medianFen: 25_900, rateCapBps: 1000,
    brands: [b('飞鹤', 'FIRMUS'), b('美赞臣', 'MeadJohnson'), b('惠氏', 'Wyeth'), b('爱他美', 'Aptamil'), b('君乐宝')],
    nouns: ['婴儿奶粉', '3段奶粉', '米粉', '辅食'],
    specs: [['1段', '2段', '3段', '4段'], ['800g', '700g*2罐', '900g']],
    points: ['官方正品', '新国标', '乳铁蛋白', '易吸收', '0-6个月', '1-3岁'],
    english: ['Infant Formula', 'Baby Cereal'],
  },
  {
    path: ['服饰', '女装'], medianFen: 29_900, rateCapBps: 4000,
    brands: [b('优衣库', 'UNIQLO'), b('ZARA'), b('太平鸟', 'PEACEBIRD'), b('欧时力', 'Ochirly'), b('波司登', 'BOSIDENG'), b('伊芙丽')],
    nouns: ['羽绒服', '连衣裙', '针织衫', '卫衣', '牛仔裤', '风衣', '半身裙', '衬衫'],
    specs: [['S', 'M', 'L', 'XL', '均码'], ['黑色', '白色', '卡其色', '藏青色', '杏色'], ['长款', '短款', '宽松', '修身']],
    points: ['显瘦', '百搭', '小个子', '法式', '通勤', '减龄', '高级感', '加绒加厚'],
    english: ['Dress', 'Down Jacket', 'Cardigan'],
  },
  {
    path: ['服饰', '男装'], medianFen: 19_900, rateCapBps: 4000,
    brands: [b('海澜之家', 'HLA'), b('优衣库', 'UNIQLO'), b('李宁', 'LI-NING'), b('森马', 'Semir'), b('杰克琼斯', 'JACK&JONES'), b('骆驼', 'CAMEL')],
    nouns: ['夹克', '羽绒服', '衬衫', 'T恤', '休闲裤', '卫衣', '冲锋衣', 'polo衫'],
    specs: [['M', 'L', 'XL', 'XXL', '3XL'], ['黑色', '白色', '灰色', '军绿色'], ['纯棉', '加绒', '速干']],
    points: ['商务休闲', '潮牌', '宽松', '青年', '中年爸爸', '春秋款', '户外', '防风防水'],
    english: ['Jacket', 'T-Shirt', 'Hoodie'],
  },
  {
    path: ['鞋包', '运动鞋'], medianFen: 39_900, rateCapBps: 2000,
    brands: [b('耐克', 'NIKE', ['Air Force 1', 'Air Max 270', 'Pegasus 40']), b('阿迪达斯', 'adidas', ['Samba', 'Ultraboost']), b('安踏', 'ANTA'), b('李宁', 'LI-NING', ['超轻21', '韦德之道']), b('特步', 'XTEP'), b('New Balance', 'NB', ['574', '530', '9060'])],
    nouns: ['跑步鞋', '篮球鞋', '运动鞋', '板鞋', '休闲鞋', '老爹鞋'],
    specs: [['39码', '40码', '41码', '42码', '43码', '44码'], ['男款', '女款', '情侣款']],
    points: ['透气', '减震', '轻便', '防滑耐磨', '增高', '百搭', '学生'],
    english: ['Running Shoes', 'Sneakers', 'Basketball Shoes'],
  },
  {
    path: ['鞋包', '箱包'], medianFen: 29_900, rateCapBps: 3000,
    brands: [b('新秀丽', 'Samsonite'), b('小米', 'Xiaomi'), b('地平线8号'), b('爱华仕'), b('蔻驰', 'COACH')],
    nouns: ['行李箱', '双肩包', '斜挎包', '拉杆箱', '托特包', '钱包'],
    specs: [['20寸', '24寸', '26寸', '28寸', '大容量'], ['黑色', '白色', '灰色']],
    points: ['万向轮', '登机箱', '密码锁', '防水', '商务', '通勤', '学生'],
    english: ['Suitcase', 'Backpack', 'Crossbody Bag'],
  },
  {
    path: ['家居', '床上用品'], medianFen: 19_900, rateCapBps: 3000,
    brands: [b('南极人', 'Nanjiren'), b('罗莱', 'LUOLAI'), b('富安娜', 'FUANNA'), b('水星家纺'), b('博洋')],
    nouns: ['四件套', '蚕丝被', '枕头', '乳胶枕', '夏凉被', '床垫', '羽绒被'],
    specs: [['1.5m床', '1.8m床', '2.0m床', '单人'], ['纯棉', '全棉磨毛', '加厚', '冰丝']],
    points: ['亲肤', '保暖', '抗菌', '学生宿舍', '婚庆', '四季通用'],
    english: ['Bedding Set', 'Pillow', 'Duvet'],
  },
  {
    path: ['家居', '厨具杯具'], medianFen: 6_990, rateCapBps: 3000,
    brands: [b('膳魔师', 'THERMOS'), b('象印', 'ZOJIRUSHI'), b('苏泊尔', 'SUPOR'), b('双立人', 'ZWILLING'), b('富光'), b('乐扣乐扣')],
    nouns: ['保温杯', '不粘锅', '菜刀', '炒锅', '水杯', '保鲜盒', '刀具套装'],
    specs: [['350ml', '500ml', '750ml', '28cm', '32cm'], ['316不锈钢', '304不锈钢', '玻璃']],
    points: ['大容量', '男女学生', '便携', '少油烟', '电磁炉通用', '防漏'],
    english: ['Vacuum Flask', 'Frying Pan', 'Knife Set'],
  },
  {
    path: ['家居', '收纳清洁'], medianFen: 3_990, rateCapBps: 3000,
    brands: [b('茶花'), b('妙洁'), b('3M'), b('天章'), b('太力'), b('清风'), b('维达', 'Vinda')],
    nouns: ['收纳箱', '垃圾袋', '拖把', '抹布', '真空压缩袋', '抽纸', '卷纸'],
    specs: [['大号', '中号', '3个装', '100只', '24包', '整箱'], ['加厚', '免手洗', '可折叠']],
    points: ['家用', '囤货', '宿舍', '耐用', '抽绳式', '原木浆'],
    english: ['Storage Box', 'Trash Bags', 'Tissue'],
  },
  {
    path: ['运动', '健身'], medianFen: 14_900, rateCapBps: 3000,
    brands: [b('Keep'), b('迪卡侬', 'DECATHLON'), b('李宁', 'LI-NING'), b('小米', 'Xiaomi'), b('华为', 'HUAWEI', ['Watch GT4', '手环9'])],
    nouns: ['瑜伽垫', '哑铃', '跳绳', '智能手环', '运动手表', '筋膜枪', '健腹轮'],
    specs: [['加厚10mm', '5kg', '10kg', '20kg', '计数'], ['NFC', '防水', '心率监测']],
    nounSpecs: {
      瑜伽垫: [['加厚10mm', '6mm', '185*80cm'], ['防滑', 'TPE', '双面']],
      哑铃: [['5kg', '10kg', '20kg', '可调节'], ['一对', '包胶', '男士']],
      跳绳: [['计数', '无绳', '钢丝'], ['负重', '专业', '中考']],
      筋膜枪: [['迷你', '6档'], ['静音', '便携', '深层']],
      健腹轮: [['双轮', '自动回弹'], ['静音', '防滑', '男女']],
    },
    points: ['家用', '男女', '防滑', '减肥', '静音', '专业'],
    english: ['Yoga Mat', 'Dumbbells', 'Smart Watch', 'Massage Gun'],
  },
  {
    path: ['运动', '户外'], medianFen: 29_900, rateCapBps: 2500,
    brands: [b('骆驼', 'CAMEL'), b('探路者', 'TOREAD'), b('牧高笛', 'MOBIGARDEN'), b('北面', 'The North Face'), b('凯乐石', 'KAILAS')],
    nouns: ['帐篷', '冲锋衣', '登山鞋', '睡袋', '露营车', '天幕'],
    specs: [['2人', '3-4人', '单人'], ['防水', '防风', '速开']],
    nounSpecs: {
      冲锋衣: [['M', 'L', 'XL'], ['防水', '防风', '三合一']],
      登山鞋: [['40码', '42码', '44码'], ['防水', '防滑', '透气']],
      睡袋: [['单人', '双人'], ['加厚', '零下10度', '羽绒']],
      露营车: [['折叠', '大容量'], ['四轮', '承重150kg']],
      天幕: [['3*4m', '4*6m'], ['防晒', '防雨', '银胶']],
    },
    points: ['户外露营', '野营', '加厚', '便携', '防晒'],
    english: ['Camping Tent', 'Hiking Boots', 'Sleeping Bag'],
  },
  {
    path: ['图书', '童书'], medianFen: 6_990, rateCapBps: 2000,
    brands: [b('中信出版社'), b('人民文学出版社'), b('接力出版社'), b('新星出版社'), b('乐乐趣')],
    nouns: ['绘本', '科普百科', '儿童文学', '漫画书', '经典名著', '立体书'],
    specs: [['全套10册', '全8册', '注音版', '精装', '彩图版'], ['3-6岁', '6-12岁', '小学生']],
    points: ['课外阅读', '睡前故事', '正版', '老师推荐', '启蒙'],
    english: ['Picture Book', 'Children Encyclopedia'],
  },
  {
    path: ['图书', '文学'], medianFen: 4_990, rateCapBps: 1500,
    brands: [b('人民文学出版社'), b('上海译文出版社'), b('作家出版社'), b('译林出版社')],
    nouns: ['小说', '红楼梦', '三体', '活着', '百年孤独', '散文集', '诗集'],
    specs: [['全2册', '全3册', '精装典藏版', '平装'], ['原著', '无删减', '新版']],
    points: ['正版', '中国古典文学', '世界名著', '高中生', '课外书'],
    english: ['Novel', 'Poetry Collection'],
  },
  {
    path: ['宠物', '猫狗用品'], medianFen: 12_900, rateCapBps: 3000,
    brands: [b('皇家', 'ROYAL CANIN'), b('渴望', 'ORIJEN'), b('伯纳天纯'), b('网易严选'), b('麦富迪'), b('比瑞吉')],
    nouns: ['猫粮', '狗粮', '猫砂', '冻干', '宠物零食', '猫条'],
    specs: [['1.5kg', '2kg', '10kg', '6L', '20袋'], ['成猫', '幼猫', '成犬', '幼犬', '全价']],
    nounSpecs: {
      猫粮: [['1.5kg', '2kg', '10kg'], ['成猫', '幼猫', '全价']],
      狗粮: [['1.5kg', '2kg', '10kg'], ['成犬', '幼犬', '全价']],
      猫砂: [['6L', '10kg', '2.5kg*4袋'], ['豆腐', '膨润土', '混合']],
      冻干: [['100g', '500g'], ['猫用', '犬用', '鸡肉']],
      猫条: [['20支', '50支', '15g*20'], ['成猫', '幼猫', '金枪鱼']],
    },
    points: ['无谷', '增肥发腮', '豆腐猫砂', '除臭', '营养', '天然粮'],
    english: ['Cat Food', 'Dog Food', 'Cat Litter'],
  },
  {
    path: ['汽车', '车载用品'], medianFen: 9_900, rateCapBps: 3500,
    brands: [b('70迈', '70mai'), b('小米', 'Xiaomi'), b('倍思', 'Baseus'), b('固特异', 'Goodyear'), b('3M')],
    nouns: ['行车记录仪', '车载充电器', '车载手机支架', '洗车机', '车载吸尘器', '脚垫'],
    specs: [['4K', '2K', '1080P', '12V'], ['前后双录', '无线', '磁吸']],
    points: ['高清夜视', '停车监控', '语音控制', '大吸力', '专车专用'],
    english: ['Dash Cam', 'Car Charger', 'Car Vacuum'],
  },
];

export const PREFIXES = ['', '', '', '', '【官方正品】', '【顺丰包邮】', '2026新款', '【限时秒杀】', '【旗舰店】', '【爆款】', '包邮'];
export const AUDIENCES = ['', '', '', '男士', '女士', '学生', '儿童', '男女通用', '情侣', '中老年'];
export const SUFFIXES = ['', '', '', '送礼', '礼盒装', '现货速发', '顺丰发货', '官方旗舰', '假一赔十', '7天无理由'];
export const SHOP_SUFFIXES = ['官方旗舰店', '旗舰店', '自营店', '专卖店', '优选店', '工厂店', '专营店'];
export const SHOP_PLACES = ['杭州', '深圳', '广州', '义乌', '上海', '北京', '苏州', '成都', '厦门', '武汉'];
export const SHOP_WORDS = ['优品', '好物', '严选', '生活馆', '数码', '百货', '精品', '良品', '家居', '美妆'];
