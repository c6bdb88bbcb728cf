import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const fontPath = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

/** A one-page achievement report (成果报告) for the demo, with Chinese text: a real, small PDF. */
export function demoReportPdf(title: string, enterprise: string, teamName: string, note = ''): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 60, info: { Title: title } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font(fontPath);
    doc.fontSize(20).text(`${title}${note ? `（${note}）` : ''}`, { align: 'center' });
    doc.moveDown().fontSize(12).text(`${enterprise}\u3000${teamName}`, { align: 'center' });
    doc.moveDown(2).fontSize(11);
    for (const h of ['一、选题理由', '二、现状调查', '三、目标设定', '四、原因分析', '五、要因确认', '六、对策与实施', '七、效果检查', '八、巩固措施', '九、总结和下一步打算']) {
      doc.text(h).moveDown(0.3).text('（演示数据）本节内容由演示程序生成。', { indent: 20 }).moveDown(0.6);
    }
    doc.end();
  });
}
