import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { auditExport, miCsv, miRecords, miReport, slug } from '../core/mi.ts';
import { miPdf } from '../core/mi-pdf.ts';
import { miNational, miNationalRecords } from '../core/mi-national.ts';

type MiProcedures = 'mi.report' | 'mi.records' | 'mi.national' | 'mi.nationalRecords' | 'mi.export' | 'mi.pdf';

export const miHandlers: Handlers<MiProcedures> = {
  'mi.report': (ctx, input) => miReport(ctx.core, requireUser(ctx), input),
  'mi.records': (ctx, { scope, target, limit }) => miRecords(ctx.core, requireUser(ctx), scope, target, limit),
  'mi.national': (ctx, input) => miNational(ctx.core, ctx.sessionToken, input),
  'mi.nationalRecords': (ctx, input) => miNationalRecords(ctx.core, ctx.sessionToken, input),
  'mi.export': (ctx, input) => miCsv(ctx.core, requireUser(ctx), input),
  'mi.pdf': async (ctx, input) => {
    const user = requireUser(ctx);
    const report = miReport(ctx.core, user, input);
    const pdf = await miPdf(report, `${user.display_name} (${user.username})`);
    auditExport(ctx.core, user, 'mi.pdf', report.scope);
    return { fileName: `ims-mi-${slug(report.scope.label)}-${report.scope.from}-to-${report.scope.to}.pdf`, pdfBase64: pdf.toString('base64') };
  },
};
