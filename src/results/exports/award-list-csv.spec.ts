import { describe, expect, it } from '@jest/globals';
import { buildAwardListCsv, csvField, neutralizeFormula } from './award-list-csv.js';
import { sampleAwardList } from './sample-award-list.js';

/** A strict RFC 4180 reader: rows of fields, quotes doubled inside quoted fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n') throw new Error(`bare LF at ${i}`);
    else field += c;
  }
  if (field !== '' || row.length) throw new Error('no CRLF at the end');
  return rows;
}

describe('award list csv', () => {
  it('is UTF-8 with a BOM and CRLF lines: entries (一等奖 first, running 序号), an empty line, then the excellent units', () => {
    const buf = buildAwardListCsv(sampleAwardList());
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(buf.toString('utf8').slice(1));
    expect(rows).toEqual([
      ['序号', '奖项', '成果名称', '企业名称', '小组名称', '推荐单位'],
      ['1', '一等奖', '降低🚀焊接缺陷率', '天津滨海🏭精密制造有限公司', '攻坚QC小组🏆', '滨海新区经济技术开发区市场监管局'],
      ['2', '一等奖', '提高"一次交验"合格率, 缩短周期', '天津港, 集团有限公司', '"匠心"小组', '滨海新区质量协会'],
      ['3', '二等奖', "'=SUM(A1:A9) 降低能耗", '天津中新生态城建设有限公司', "'-绿色小组", '中新天津生态城市场监管局'],
      ['4', '三等奖', '基于多源数据融合与精益管理方法的大型石化装置检修周期缩短及关键设备可靠性提升的研究与实践（第二阶段）', '中国石油天然气股份有限公司大港石化分公司', '设备管理QC小组', '滨海新区质量协会'],
      [''],
      ['优秀推荐单位'],
      ['序号', '推荐单位', '积分', '获奖成果数'],
      ['1', '滨海新区质量协会', '13', '2'],
      ['2', '滨海新区经济技术开发区市场监管局🌊', '10', '1'],
    ]);
    // Quoting is exactly where it is needed.
    expect(buf.toString('utf8')).toContain('2,一等奖,"提高""一次交验""合格率, 缩短周期","天津港, 集团有限公司","""匠心""小组",滨海新区质量协会\r\n');
  });

  it('adds 得分 as written in the list (two decimals) only when the list carries scores', () => {
    const rows = parseCsv(buildAwardListCsv(sampleAwardList({ withScores: true })).toString('utf8').slice(1));
    expect(rows[0]).toEqual(['序号', '奖项', '成果名称', '企业名称', '小组名称', '推荐单位', '得分']);
    expect(rows.slice(1, 5).map((r) => r[6])).toEqual(['95.50', '93.25', '88.00', '80.75']);
    expect(rows[7]).toEqual(['序号', '推荐单位', '积分', '获奖成果数']);
  });

  it('an empty list is the two headers', () => {
    const list = sampleAwardList();
    list.levels = { first: [], second: [], third: [], excellence: [] };
    list.excellentUnits = [];
    const rows = parseCsv(buildAwardListCsv(list).toString('utf8').slice(1));
    expect(rows).toEqual([['序号', '奖项', '成果名称', '企业名称', '小组名称', '推荐单位'], [''], ['优秀推荐单位'], ['序号', '推荐单位', '积分', '获奖成果数']]);
  });

  it('quotes fields with commas, quotes, line breaks and edge spaces; neutralizes formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('普通文本')).toBe('普通文本');
    expect(csvField(3)).toBe('3');
    for (const s of ['=1+1', '+86', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutralizeFormula(s)).toBe(`'${s}`);
    expect(neutralizeFormula('降低-能耗=1')).toBe('降低-能耗=1');
  });
});
