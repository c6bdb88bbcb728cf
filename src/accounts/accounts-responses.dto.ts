import { PageOf } from '../common/pagination.js';
import { UserResponse } from './accounts.dto.js';

export class UserPage extends PageOf(UserResponse) {}
