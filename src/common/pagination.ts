import { type Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Items per page when `pageSize` is omitted, and the most a page may hold. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

// Not a *.dto.ts file (the swagger plugin skips it): the paging parameters are documented explicitly.
export class PageQuery {
  /** 1-based page number. */
  @ApiPropertyOptional({ description: '1-based page number (default 1).', minimum: 1, maximum: 100000, default: 1, type: 'integer' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000)
  page?: number;

  /** Items per page (at most 200). */
  @ApiPropertyOptional({ description: `Items per page (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).`, minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, type: 'integer' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * The OpenAPI schema of a `Page<T>`: `class UserPage extends PageOf(UserResponse) {}` names it.
 * (A generic interface cannot be read by the swagger plugin, hence one small class per item type.)
 */
export function PageOf<T>(item: Class<T>) {
  class PageDto implements Page<T> {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty({ description: 'How many items match in all (every page).' }) total: number;
    @ApiProperty({ description: 'The page returned (1-based).' }) page: number;
    @ApiProperty({ description: `Items per page (at most ${MAX_PAGE_SIZE}).` }) pageSize: number;
  }
  return PageDto;
}

export function pageWindow(q: PageQuery): { skip: number; take: number; page: number; pageSize: number } {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  return { skip: (page - 1) * pageSize, take: pageSize, page, pageSize };
}
