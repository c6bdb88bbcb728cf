import { describe, expect, it } from '@jest/globals';
import { csvFile } from './api-client.js';
import { IMPORT_COLUMNS, readSheet } from '../organisations/spreadsheet.js';

describe('csvFile', () => {
  it('writes cells that the import reads back as they were: commas, quotes, line breaks, Chinese and emoji', async () => {
    const rows = [
      ['滨海新区质量协会', 'industry_association', '张伟, 李娜', '022-61000000'],
      ['天津港保税区市场监督管理局', 'dev_zone_regulator', '王"小"明', ''],
      ['新城镇人民政府 🏛', 'street_town', '第一行\r\n第二行', '+86 22 6100'],
    ];
    const file = csvFile(['单位名称', '单位类型', '联系人', '联系电话'], rows);
    expect(file.toString('utf8')).toContain('"张伟, 李娜"');
    expect(file.toString('utf8')).toContain('"王""小""明"');
    const sheet = await readSheet(file, IMPORT_COLUMNS.units);
    expect(sheet.rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(sheet.rows.map((r) => [r.values.name, r.values.kind, r.values.contactPerson, r.values.phone])).toEqual([
      rows[0],
      [rows[1][0], rows[1][1], rows[1][2], undefined], // an empty cell is no value
      rows[2],
    ]);
  });
});
