import { PageOf } from '../common/pagination.js';
import { EnterpriseResponse, ExpertResponse, UnitResponse } from './organisations.dto.js';

export class UnitPage extends PageOf(UnitResponse) {}
export class EnterprisePage extends PageOf(EnterpriseResponse) {}
export class ExpertPage extends PageOf(ExpertResponse) {}
