/**
 * Chinese-context word lists for the password strength estimator (zxcvbn-ts ships English and
 * "common" lists only, so `zhangwei1990` or `woaini1314` would otherwise pass as strong).
 * Each list is ordered from most to least likely: zxcvbn turns a word's rank into its guess count.
 * The dictionary names matter: zxcvbn's own feedback recognises `passwords` and `names` in them.
 */

/** Common passwords of Chinese users (leaked-list favourites: love numbers, pinyin phrases, keyboard runs). */
const PASSWORDS = [
  '123456', '123456789', '111111', '5201314', '12345678', '123123', 'a123456', 'woaini1314', '1314520', '000000',
  '666666', '888888', 'qq123456', '11111111', '123456a', 'woaini', '520520', 'aini1314', 'woaini520', 'iloveyou',
  '147258369', '987654321', '1qaz2wsx', 'qwe123', '123qwe', 'abc123', 'abc123456', 'a123456789', 'qq5201314', 'zxcvbnm',
  '5201314520', 'wodemima', 'mima123', 'nicai', 'caonima', 'woaiwojia', 'woainima', 'wangyuan', 'dearbook', 'xiazhili',
  '31415926', '110110', '12344321', '1q2w3e4r', 'qazwsxedc', 'asdfghjkl', '1234qwer', 'qwertyui', '789456123', '123654789',
  'aaaaaa', 'zhang123', 'li123456', 'wang123', 'woaini123', 'iloveu', 'love1314', 'aa123456', 'qwer1234', 'asd123',
  'hao123', 'admin123', 'admin888', 'root123', 'test123', 'abcd1234', '88888888', '66666666', '1234567890', '0123456789',
];

/** The most common Chinese surnames, given names and full names, in pinyin. */
const NAMES = [
  'zhangwei', 'wangwei', 'wangfang', 'liwei', 'lina', 'zhangmin', 'lijing', 'wangjing', 'liuwei', 'wangxiuying',
  'zhangli', 'lixiuying', 'wangli', 'zhangjing', 'zhangxiuying', 'liqiang', 'wangmin', 'limin', 'wanglei', 'liuyang',
  'wangyan', 'wangyong', 'lijun', 'zhangyong', 'lijie', 'zhangjie', 'zhanglei', 'wangqiang', 'lijuan', 'wangjun',
  'zhangyan', 'zhangtao', 'wangtao', 'liyan', 'wangchao', 'liming', 'liyong', 'wangjuan', 'liujie', 'liumin',
  'lixia', 'lili', 'zhangjun', 'wangjie', 'zhangqiang', 'wangxiulan', 'wanggang', 'wangping', 'liufang', 'zhangping',
  'chenjing', 'liuying', 'yangyang', 'zhangying', 'wangying', 'chenwei', 'liuyan', 'liuqiang', 'liping', 'chenli',
  'wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou',
  'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'gao', 'lin', 'luo',
  'zheng', 'liang', 'xie', 'song', 'tang', 'han', 'feng', 'deng', 'cao', 'peng',
  'zeng', 'xiao', 'tian', 'dong', 'yuan', 'pan', 'yu', 'jiang', 'cai', 'du',
  'ye', 'cheng', 'wei', 'su', 'lu', 'ding', 'ren', 'shen', 'yao', 'cui',
  'zhong', 'tan', 'fan', 'jin', 'shi', 'liao', 'jia', 'xia', 'fu', 'fang',
  'bai', 'zou', 'meng', 'xiong', 'qin', 'qiu', 'yin', 'xue', 'yan', 'duan',
  'lei', 'hou', 'long', 'tao', 'gu', 'mao', 'hao', 'gong', 'shao', 'wan', 'qian', 'dai',
  'min', 'jing', 'qiang', 'jun', 'yong', 'jie', 'juan', 'ming', 'chao',
  'xiuying', 'xiulan', 'ping', 'gang', 'hua', 'hui', 'hong', 'ling', 'ying', 'bin',
  'bo', 'dan', 'fei', 'jian', 'kai', 'mei', 'na', 'ning', 'qing', 'rui',
  'shan', 'ting', 'wen', 'xin', 'yun', 'zhen', 'zhi', 'xiaoming', 'xiaohong', 'xiaoli',
];

/** Common pinyin words and places (Tianjin's districts first: this product is used there). */
const WORDS = [
  'woaini', 'nihao', 'mima', 'wodemima', 'aini', 'baobei', 'laopo', 'laogong', 'xingfu', 'kuaile',
  'shengri', 'aiqing', 'tiantian', 'yongyuan', 'yisheng', 'yishi', 'xiaobao', 'xiaoxiao', 'haha', 'hehe',
  'zhongguo', 'zhonghua', 'beijing', 'shanghai', 'tianjin', 'guangzhou', 'shenzhen', 'chongqing', 'hebei', 'shandong',
  'binhai', 'binhaixinqu', 'xinqu', 'tanggu', 'hangu', 'dagang', 'heping', 'hexi', 'nankai', 'hedong',
  'hongqiao', 'dongli', 'xiqing', 'jinnan', 'beichen', 'wuqing', 'baodi', 'jinghai', 'ninghe', 'jizhou',
  'haihe', 'jinmen', 'bohai', 'dongjiang', 'huawei', 'xiaomi', 'taobao', 'weixin', 'baidu', 'alibaba',
  'pingan', 'jiayou', 'fendou', 'chenggong', 'facai', 'fadacai', 'shunli', 'ruyi', 'jixiang', 'wanshiruyi',
  'laohu', 'longteng', 'fenghuang', 'tianshi', 'mengxiang', 'qingchun', 'pengyou', 'xiongdi', 'jiejie', 'gege',
  'mama', 'baba', 'jiating', 'gongzuo', 'gongsi', 'xuexi', 'laoshi', 'xuesheng', 'shouji', 'diannao',
];

/**
 * The product's own words: what a user of a QC achievement judging system reaches for first
 * (its name, its roles, its screens), in pinyin, English and Chinese.
 */
const PRODUCT = [
  'qc', 'qcc', 'zhiliang', 'gongguan', 'zhilianggongguan', 'pingshen', 'chengguo', 'pingbi', 'pingxuan', 'pingfen',
  'zhuanjia', 'qiye', 'danwei', 'tuijian', 'zuweihui', 'guanli', 'guanliyuan', 'xitong', 'ceshi', 'xiaozu',
  'admin', 'administrator', 'expert', 'organizer', 'recommender', 'enterprise', 'unit', 'judge', 'judging', 'quality',
  'contest', 'entry', 'demo', 'test', 'system', 'root', 'user', 'login', 'qcteam', 'award',
  '质量', '攻关', '评审', '成果', '质量攻关', '评比', '专家', '企业', '单位', '推荐',
  '管理员', '组委会', '密码', '系统', '评分', '小组',
];

export const CHINESE_DICTIONARIES: Record<string, string[]> = {
  'passwords-zh': PASSWORDS,
  'names-zh': NAMES,
  'commonWords-zh': WORDS,
  'product-qc': PRODUCT,
};

/** The dictionary of the product's own words, named so the judge can say so. */
export const PRODUCT_DICTIONARY = 'product-qc';

/** A mainland mobile number (11 digits, 1[3-9]…), anywhere in the password. */
export const MOBILE_PHONE = /1[3-9]\d{9}/g;
