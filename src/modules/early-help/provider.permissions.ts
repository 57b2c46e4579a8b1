import { can, connection, fields } from '../../shared/authz/rules';

const read = can('provider:read');
const manage = can('provider:manage');

/** Providers are organisational (no case data): readable with provider:read, managed by administrators. */
export const providerRules = {
  Query: { provider: read, providers: read },
  Mutation: {
    createProvider: manage,
    addProviderContract: manage,
    updateProviderContract: manage,
    setDataSharingAgreement: manage,
    createProviderAccount: manage,
  },
  Provider: fields(read, ['id', 'name', 'version', 'contracts', 'currentAgreement', 'capacity']),
  ProviderContract: fields(read, ['id', 'providerId', 'service', 'startsOn', 'endsOn', 'capacity', 'version']),
  DataSharingAgreement: fields(read, ['id', 'providerId', 'reference', 'startsOn', 'endsOn', 'visibleFields', 'submissions', 'version']),
  ProviderCapacity: fields(read, ['capacity', 'inWork', 'offered', 'available']),
  ProviderAccount: fields(manage, ['id', 'email', 'displayName', 'providerId', 'role', 'system', 'version']),
  ...connection('Provider'),
};
