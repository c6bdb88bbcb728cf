// The organisations feature's error catalogue (units, enterprises, experts, registration, imports):
// code → Chinese and English text, and the texts with values as functions (see src/common/errors.ts).
import type { Text } from '../common/errors.js';

export const ORGANISATIONS_ERRORS = {
  same_person_approval: { zh: '登记人不能审核通过自己登记的企业，请由本单位其他人员或组委会审核', en: 'Whoever registered the enterprise cannot approve it; another person of the unit or an organizer must' },
  too_many_registrations: { zh: '注册尝试过于频繁，请稍后再试', en: 'Too many registration attempts; try again later' },
  unit_not_own: { zh: '只能为本推荐单位登记企业', en: 'A recommender registers enterprises for its own unit only' },
  uscc_taken: { zh: '该统一社会信用代码已登记', en: 'An enterprise with this unified social credit code exists' },
  unit_name_taken: { zh: '已有同名的推荐单位', en: 'A recommending unit with this name exists' },
  field_not_editable: { zh: '企业只能修改行业、地址、联系人和电话', en: 'An enterprise may change only its industry, address, contact person and phone' },
  enterprise_status_conflict: { zh: '企业当前状态不能变更为所选状态', en: 'The enterprise cannot take this status from its current one' },
  expert_has_account: { zh: '该专家已有账号', en: 'This expert already has an account' },
  already_active: { zh: '该单位或专家未被停用，无需启用', en: 'Active already' },
  already_deactivated: { zh: '该单位或专家已经停用', en: 'Deactivated already' },
  expert_deactivated: { zh: '该评审专家已停用，不能加入评审组或分配评审任务', en: 'This expert is deactivated and cannot be put on a panel or assigned' },
  import_file_required: { zh: '请上传 .xlsx 或 CSV 文件（表单字段 file）', en: 'Upload an .xlsx or CSV file in the form field "file"' },
  import_file_empty: { zh: '上传的文件是空的', en: 'The uploaded file is empty' },
  import_unreadable: { zh: '无法读取文件，请上传 .xlsx 格式的 Excel 文件或 UTF-8 编码的 CSV 文件', en: 'The file could not be read; upload an .xlsx workbook or a UTF-8 CSV file' },
  import_missing_columns: { zh: '缺少必填列', en: 'Missing required columns' },
  import_too_many_rows: { zh: '一次导入的行数过多，请拆分文件', en: 'Too many rows for one import; split the file' },
  import_empty: { zh: '文件中没有数据行', en: 'The file has no data rows' },
  import_invalid: { zh: '部分行数据有误，未导入任何数据', en: 'Some rows are invalid; nothing was imported' },
} satisfies Record<string, Text>;

const ORG_NOUN = { unit: '推荐单位', enterprise: '企业', expert: '评审专家' } as const;

/** Texts with values, and the field-level texts of the feature. */
export const ORGANISATIONS_TEXTS = {
  registrationReceived: {
    zh: '注册申请已收到。若信息有效，审核结果将通过您预留的联系方式告知。',
    en: 'Your registration has been received. If the details are valid, you will be told the outcome through the contact details you gave.',
  },
  unitNotFound: { zh: '推荐单位不存在', en: 'No such recommending unit' },
  unitDeactivated: { zh: '该推荐单位已停用，不能选择', en: 'This recommending unit is deactivated and cannot be chosen' },
  enterpriseNotFound: { zh: '企业不存在', en: 'No such enterprise' },
  fieldNotEditable: { zh: '无权修改此字段', en: 'You may not change this field' },
  required: (field: string): Text => ({ zh: '必填', en: `${field} is required` }),
  requiredForEmployerKind: (field: string): Text => ({ zh: '必填', en: `${field} is required for this employerKind` }),
  notAllowedForEmployerKind: (field: string): Text => ({ zh: '该工作单位类型不允许此字段', en: `${field} is not allowed for this employerKind` }),
  enterpriseStatusConflict: (from: string, to: string): Text => ({ zh: `企业当前状态（${from}）不能变为 ${to}`, en: `An enterprise in status ${from} cannot become ${to}` }),
  alreadyActive: (kind: keyof typeof ORG_NOUN): Text => ({ zh: `该${ORG_NOUN[kind]}未被停用，无需启用`, en: `This ${kind} is active already` }),
  alreadyDeactivated: (kind: keyof typeof ORG_NOUN): Text => ({ zh: `该${ORG_NOUN[kind]}已经停用`, en: `This ${kind} is deactivated already` }),
  // Imports
  importFileEmpty: { zh: '文件为空', en: 'The file is empty' },
  importUnreadable: { zh: '不是有效的 .xlsx 文件或 UTF-8 编码的 CSV 文件', en: 'Neither a valid .xlsx workbook nor UTF-8 CSV text' },
  notXlsx: { zh: '不是有效的 .xlsx 文件', en: 'Not a valid .xlsx workbook' },
  csvNoHeader: { zh: '第 1 行应为列标题，但文件中没有列标题', en: 'Row 1 should hold the column headers, but the file has none' },
  csvUtf16: { zh: 'CSV 文件须为 UTF-8 编码（当前为 UTF-16）；在 Excel 中另存为“CSV UTF-8（逗号分隔）”', en: 'CSV must be UTF-8, not UTF-16; in Excel save as "CSV UTF-8 (Comma delimited)"' },
  csvNotUtf8: { zh: 'CSV 文件须为 UTF-8 编码（可能是 GBK）；在 Excel 中另存为“CSV UTF-8（逗号分隔）”', en: 'CSV must be UTF-8 (this looks like another encoding, e.g. GBK); in Excel save as "CSV UTF-8 (Comma delimited)"' },
  notText: { zh: '既不是 .xlsx 文件，也不是文本（CSV）文件', en: 'Neither an .xlsx workbook nor a text (CSV) file' },
  csvUnterminatedQuote: { zh: '引号未闭合', en: 'a quoted field is not closed' },
  csvStrayQuote: { zh: '未加引号的字段中出现引号（含引号的字段须整体加引号，引号写两次）', en: 'a quote inside an unquoted field (quote the whole field and double the quote)' },
  csvTextAfterQuote: { zh: '右引号后只能是逗号或换行', en: 'only a comma or a line break may follow a closing quote' },
  csvMalformed: (line: number, problem: Text): Text => ({ zh: `CSV 格式有误（第 ${line} 行）：${problem.zh}`, en: `Malformed CSV (line ${line}): ${problem.en}` }),
  csvMalformedLine: (line: number, problem: Text): Text => ({ zh: `第 ${line} 行：${problem.zh}`, en: `Line ${line}: ${problem.en}` }),
  missingColumns: (headers: string[], keys: string[]): Text => ({ zh: `缺少必填列：${headers.join('、')}`, en: `Missing required columns: ${keys.join(', ')}` }),
  missingColumn: (header: string, key: string): Text => ({ zh: `缺少列「${header}」`, en: `Missing column "${header}" (${key})` }),
  tooManyRows: (max: number): Text => ({ zh: `一次最多导入 ${max} 行，请拆分文件`, en: `At most ${max} rows per import; split the file` }),
  rowsInvalid: (n: number): Text => ({ zh: `${n} 行数据有误，未导入任何数据`, en: `${n} rows are invalid; nothing was imported` }),
  rowNotImported: (row: number): Text => ({ zh: `第 ${row} 行无法导入，未导入任何数据`, en: `Row ${row} could not be imported; nothing was imported` }),
  rowProblem: (row: number, header: string, key: string, problem: Text): Text => ({ zh: `第 ${row} 行「${header}」：${problem.zh}`, en: `Row ${row}, ${key}: ${problem.en}` }),
  duplicateInFile: (firstRow: number): Text => ({ zh: `与第 ${firstRow} 行重复`, en: `Duplicates row ${firstRow}` }),
  unitNameNotFound: (name: string): Text => ({ zh: `未找到推荐单位“${name}”`, en: 'No such recommending unit' }),
  enterpriseUsccNotFound: (uscc: string): Text => ({ zh: `未找到统一社会信用代码为 ${uscc} 的企业`, en: 'No such enterprise' }),
  enterpriseNameNotFound: (name: string): Text => ({ zh: `未找到企业“${name}”`, en: 'No such enterprise' }),
  employerAmbiguous: { zh: '有多家企业同名，请填写统一社会信用代码', en: 'Several enterprises have this name; give the USCC' },
  employerUsccRequired: { zh: '工作单位类型为“企业”时必填', en: 'Required when the employer is an enterprise' },
  employerNameRequired: { zh: '工作单位类型为“推荐单位”时必填', en: 'Required when the employer is a unit' },
} as const;
