import { PageOf } from '../common/pagination.js';
import { SheetListItem } from './scoring.dto.js';

export class SheetPage extends PageOf(SheetListItem) {}
