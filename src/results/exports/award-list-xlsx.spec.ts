import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { buildAwardListXlsx, UNITS_SHEET_NAME } from './award-list-xlsx.js';
import { awardListFileName } from './export-labels.js';
import { sampleAwardList } from './sample-award-list.js';

async function read(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

const rowValues = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1);

describe('award list xlsx', () => {
  it('has a sheet per level and one for the excellent units, with title, bold frozen header and widths', async () => {
    const wb = await read(await buildAwardListXlsx(sampleAwardList()));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['一等奖', '二等奖', '三等奖', '优秀奖', UNITS_SHEET_NAME]);

    const first = wb.getWorksheet('一等奖') as ExcelJS.Worksheet;
    expect(first.getCell('A1').value).toBe('2020年滨海新区质量攻关活动　一等奖名单（发布·第2版）');
    expect(first.getCell('A1').isMerged).toBe(true);
    expect(rowValues(first, 2)).toEqual(['序号', '成果名称', '企业名称', '小组名称', '推荐单位', '奖项']);
    expect(first.getRow(2).font?.bold).toBe(true);
    expect(first.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(first.getColumn(2).width).toBeGreaterThan(30);
    expect(first.rowCount).toBe(4);
    // Chinese and emoji round-trip exactly; commas and quotes are just text.
    expect(rowValues(first, 3)).toEqual([1, '降低🚀焊接缺陷率', '天津滨海🏭精密制造有限公司', '攻坚QC小组🏆', '滨海新区经济技术开发区市场监管局', '一等奖']);
    expect(rowValues(first, 4)).toEqual([2, '提高"一次交验"合格率, 缩短周期', '天津港, 集团有限公司', '"匠心"小组', '滨海新区质量协会', '一等奖']);

    // A formula-looking title stays a string (never a formula cell).
    const second = wb.getWorksheet('二等奖') as ExcelJS.Worksheet;
    expect(second.getCell('B3').value).toBe('=SUM(A1:A9) 降低能耗');
    expect(second.getCell('B3').type).toBe(ExcelJS.ValueType.String);

    // An empty level still has its title and header.
    const excellence = wb.getWorksheet('优秀奖') as ExcelJS.Worksheet;
    expect(excellence.rowCount).toBe(2);
    expect(rowValues(excellence, 2)).toEqual(['序号', '成果名称', '企业名称', '小组名称', '推荐单位', '奖项']);

    const units = wb.getWorksheet(UNITS_SHEET_NAME) as ExcelJS.Worksheet;
    expect(units.getCell('A1').value).toBe('2020年滨海新区质量攻关活动　优秀推荐单位名单（发布·第2版）');
    expect(rowValues(units, 2)).toEqual(['序号', '推荐单位', '积分', '获奖成果数']);
    expect(rowValues(units, 3)).toEqual([1, '滨海新区质量协会', 13, 2]);
    expect(rowValues(units, 4)).toEqual([2, '滨海新区经济技术开发区市场监管局🌊', 10, 1]);
    expect(units.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  });

  it('adds 得分 (numbers shown with two decimals) only when the list carries scores', async () => {
    const wb = await read(await buildAwardListXlsx(sampleAwardList({ withScores: true })));
    const first = wb.getWorksheet('一等奖') as ExcelJS.Worksheet;
    expect(rowValues(first, 2)).toEqual(['序号', '成果名称', '企业名称', '小组名称', '推荐单位', '奖项', '得分']);
    expect(first.getCell('G3').value).toBe(95.5);
    expect(first.getCell('G3').numFmt).toBe('0.00');
    expect(first.getCell('G4').value).toBe(93.25);
    expect((wb.getWorksheet('三等奖') as ExcelJS.Worksheet).getCell('G3').value).toBe(80.75);
  });

  it('labels the status: 公示 during the notice, or the label the caller gives', async () => {
    const notice = sampleAwardList({ status: 'notice' });
    let wb = await read(await buildAwardListXlsx(notice));
    expect((wb.getWorksheet('二等奖') as ExcelJS.Worksheet).getCell('A1').value).toBe('2020年滨海新区质量攻关活动　二等奖名单（公示·第2版）');
    wb = await read(await buildAwardListXlsx(notice, { statusLabel: '内部审核' }));
    expect((wb.getWorksheet('二等奖') as ExcelJS.Worksheet).getCell('A1').value).toBe('2020年滨海新区质量攻关活动　二等奖名单（内部审核·第2版）');
    expect(awardListFileName(notice, 'xlsx')).toBe('2020年滨海新区质量攻关活动-获奖名单（公示·第2版）.xlsx');
  });

  it('file names never carry a path separator', () => {
    const list = sampleAwardList();
    list.contest.name = '../2020/滨海:新区*活动';
    expect(awardListFileName(list, 'csv')).toBe('.._2020_滨海_新区_活动-获奖名单（发布·第2版）.csv');
  });
});
