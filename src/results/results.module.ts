import { Module } from '@nestjs/common';

@Module({ imports: [], providers: [], controllers: [], exports: [] })
export class ResultsModule {}
