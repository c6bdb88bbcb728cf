import type { INestApplication } from '@nestjs/common';
import { ExportsService } from '../results/exports/exports.service.js';

/** Writes the award list (xlsx, csv) and the certificates (zip) of a contest under `dir`. */
export function writeDemoOutputs(app: INestApplication, contestId: number, dir: string): Promise<string[]> {
  return app.get(ExportsService).writeAll(contestId, dir);
}
