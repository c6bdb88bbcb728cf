import type { INestApplication } from '@nestjs/common';

/** Writes the award list and certificates of a contest under `dir`; returns the files written. */
export async function writeDemoOutputs(_app: INestApplication, _contestId: number, _dir: string): Promise<string[]> {
  return [];
}
