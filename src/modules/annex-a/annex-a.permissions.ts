import { can, fields, viaParent } from '../../shared/authz/rules';

export const annexARules = {
  Query: { annexA: can('return:annexA') },
  AnnexAExport: fields(viaParent, ['list', 'from', 'to', 'columns', 'rows', 'rowCount', 'csv']),
};
