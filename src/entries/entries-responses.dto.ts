import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/pagination.js';
import { AttachmentResponse, EntryEventResponse, EntryListItem } from './entries.dto.js';

export class EntryPage extends PageOf(EntryListItem) {}

/** The whole status timeline, oldest first (not paged). */
export class EntryEventList {
  @ApiProperty({ type: [EntryEventResponse] })
  items: EntryEventResponse[];
  total: number;
}

/** Every version of every kind (not paged). */
export class AttachmentList {
  @ApiProperty({ type: [AttachmentResponse] })
  items: AttachmentResponse[];
  total: number;
}
