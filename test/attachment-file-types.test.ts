/** Upload checks by content: what passes as PDF, image or Office document, what is refused and why, and the names files keep. */
import { describe, expect, it } from 'vitest';
import { classifyFile, safeAttachmentName } from '../web/attachments/file-types.ts';
import { jpegStart, minimalPdf, officePackage, oleFile, tinyPng, windowsProgram, zipOf } from './helpers/sample-files.ts';

const typeOf = (bytes: Buffer) => {
  const verdict = classifyFile(bytes);
  return verdict.ok ? verdict.type : `refused: ${verdict.reason}`;
};

describe('a file checked by its content', () => {
  it('passes PDF, PNG and JPEG by their signatures', () => {
    expect(typeOf(minimalPdf())).toBe('application/pdf');
    expect(typeOf(tinyPng())).toBe('image/png');
    expect(typeOf(jpegStart())).toBe('image/jpeg');
  });

  it('passes .docx, .xlsx and .pptx by their main part, stored or deflated', () => {
    expect(typeOf(officePackage('docx'))).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(typeOf(officePackage('xlsx', {}, false))).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(typeOf(officePackage('pptx'))).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
  });

  it('refuses Office files carrying macros or ActiveX controls', () => {
    expect(typeOf(officePackage('docx', { 'word/vbaProject.bin': Buffer.alloc(32, 7) }))).toMatch(/^refused: 是含宏或控件/);
    expect(typeOf(officePackage('xlsx', { 'xl/activeX/activeX1.xml': '<ax/>' }))).toMatch(/^refused: 是含宏或控件/);
    const declared = zipOf({
      '[Content_Types].xml': '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
      'word/document.xml': '<document/>',
    }, true);
    expect(typeOf(declared)).toMatch(/^refused: 是含宏或控件/);
  });

  it('passes legacy .doc and .xls, and refuses one with a VBA project or an installer', () => {
    expect(typeOf(oleFile(['WordDocument', '1Table', '\u0005SummaryInformation']))).toBe('application/msword');
    expect(typeOf(oleFile(['Workbook']))).toBe('application/vnd.ms-excel');
    expect(typeOf(oleFile(['WordDocument', 'Macros', 'VBA']))).toMatch(/^refused: 是含宏的 Office 文件/);
    expect(typeOf(oleFile(['Workbook', '_VBA_PROJECT_CUR']))).toMatch(/^refused: 是含宏的 Office 文件/);
    // An .msi is an OLE file too, with neither stream.
    expect(typeOf(oleFile(['\u4840\u3f3f\u4577\u6c3e']))).toMatch(/^refused: 是不支持的旧版 Office 文件/);
  });

  it('refuses programs, scripts, web pages, SVG, archives, text and empty files, whatever their name says', () => {
    expect(typeOf(windowsProgram())).toMatch(/^refused: 是可执行程序/);
    expect(typeOf(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toMatch(/^refused: 是可执行程序/);
    expect(typeOf(Buffer.from('#!/bin/sh\nrm -rf /\n'))).toMatch(/^refused: 是脚本文件/);
    expect(typeOf(Buffer.from('\uFEFF  <!DOCTYPE html><html><script>alert(1)</script></html>'))).toMatch(/^refused: 是网页/);
    expect(typeOf(Buffer.from('<script>fetch("/console")</script>'))).toMatch(/^refused: 是网页/);
    expect(typeOf(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toMatch(/^refused: 是 SVG/);
    expect(typeOf(Buffer.from('<svg onload="alert(1)"/>'))).toMatch(/^refused: 是 SVG/);
    expect(typeOf(zipOf({ 'setup.exe': windowsProgram() }))).toMatch(/^refused: 是压缩包/);
    expect(typeOf(Buffer.from([0x1f, 0x8b, 8, 0]))).toMatch(/^refused: 是压缩包/);
    expect(typeOf(Buffer.from('考核结果已印发'))).toMatch(/^refused: 的内容不是允许的文件类型/);
    expect(typeOf(Buffer.alloc(0))).toBe('refused: 文件为空');
  });

  it('refuses a ZIP whose directory is cut off', () => {
    const whole = officePackage('docx');
    expect(typeOf(whole.subarray(0, whole.length - 30))).toMatch(/^refused: 是损坏的/);
  });
});

describe('the name a file is kept under', () => {
  it('keeps the last path segment and a matching extension', () => {
    expect(safeAttachmentName('C:\\fakepath\\验收报告.PDF', 'application/pdf')).toBe('验收报告.pdf');
    expect(safeAttachmentName('../../etc/passwd.pdf', 'application/pdf')).toBe('passwd.pdf');
    expect(safeAttachmentName('现场照片.jpeg', 'image/jpeg')).toBe('现场照片.jpeg');
  });

  it('always ends in the extension of the real type', () => {
    expect(safeAttachmentName('报告.exe', 'application/pdf')).toBe('报告.exe.pdf');
    expect(safeAttachmentName('photo.png', 'image/jpeg')).toBe('photo.jpg');
    expect(safeAttachmentName('无扩展名', 'image/png')).toBe('无扩展名.png');
    expect(safeAttachmentName('', 'application/pdf')).toBe('附件.pdf');
    expect(safeAttachmentName('.htaccess', 'application/pdf')).toBe('htaccess.pdf');
  });

  it('drops control and direction characters and reserved ones, and stays within 100 characters', () => {
    expect(safeAttachmentName('invoice\u202Efdp.exe', 'application/pdf')).toBe('invoice_fdp.exe.pdf');
    expect(safeAttachmentName('a<b>:"c"|?*.pdf', 'application/pdf')).toBe('a_b___c____.pdf');
    expect(safeAttachmentName('line\r\nbreak.pdf', 'application/pdf')).toBe('line__break.pdf');
    const long = safeAttachmentName(`${'很长的名字'.repeat(40)}.docx`, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect([...long]).toHaveLength(100);
    expect(long.endsWith('.docx')).toBe(true);
  });
});
