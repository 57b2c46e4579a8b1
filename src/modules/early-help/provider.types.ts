import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, ArrayUnique, IsEmail, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { LocalDate } from '../../shared/graphql/scalars';
import { HasText, IsId } from '../../shared/graphql/validators';
import { Connection } from '../../shared/graphql/pagination';

export enum ProviderRole {
  PROVIDER_PRACTITIONER = 'PROVIDER_PRACTITIONER',
  PROVIDER_MANAGER = 'PROVIDER_MANAGER',
}
registerEnumType(ProviderRole, { name: 'ProviderRole', description: 'The roles a provider account may hold.' });

@ObjectType('ProviderContract', { description: "A provider's contract with the council: the service, its dates and its capacity." })
export class ProviderContractType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  providerId: string;

  @Field()
  service: string;

  @Field(() => LocalDate)
  startsOn: string;

  @Field(() => LocalDate)
  endsOn: string;

  @Field(() => Int, { description: 'Families in work at once.' })
  capacity: number;

  @Field(() => Int)
  version: number;
}

@ObjectType('DataSharingAgreement', {
  description: "What the provider's staff may see (`Type.field`) and submit (mutation names); the newest one in force applies.",
})
export class DataSharingAgreementType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  providerId: string;

  @Field()
  reference: string;

  @Field(() => LocalDate)
  startsOn: string;

  @Field(() => LocalDate, { nullable: true })
  endsOn: string | null;

  @Field(() => [String])
  visibleFields: string[];

  @Field(() => [String])
  submissions: string[];

  @Field(() => Int)
  version: number;
}

@ObjectType('ProviderCapacity', { description: 'Families the provider can hold today, and how many it holds or has been offered.' })
export class ProviderCapacityType {
  @Field(() => Int, { description: 'Sum of the capacities of the contracts in force today.' })
  capacity: number;

  @Field(() => Int, { description: 'Episodes in work with the provider.' })
  inWork: number;

  @Field(() => Int, { description: 'Episodes offered to the provider, awaiting its decision.' })
  offered: number;

  @Field(() => Int, { description: 'capacity - inWork - offered (negative when over capacity).' })
  available: number;
}

@ObjectType('Provider', { description: 'A commissioned early help provider (an organisation; no case data).' })
export class ProviderType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => Int)
  version: number;
}

export const ProviderConnection = Connection(ProviderType, 'Provider');

@ObjectType('ProviderAccount', { description: "An account of a provider's staff, or of its case system (system: true)." })
export class ProviderAccountType {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field()
  displayName: string;

  @Field(() => ID)
  providerId: string;

  @Field(() => ProviderRole)
  role: ProviderRole;

  @Field()
  system: boolean;

  @Field(() => Int)
  version: number;
}

@ArgsType()
export class ProviderArgs {
  @Field(() => ID)
  @IsId()
  id: string;
}

@InputType()
export class CreateProviderInput {
  @Field()
  @HasText(2, 200)
  name: string;
}

@InputType()
export class AddProviderContractInput {
  @Field(() => ID)
  @IsId()
  providerId: string;

  @Field()
  @HasText(2, 200)
  service: string;

  @Field(() => LocalDate)
  startsOn: string;

  @Field(() => LocalDate, { description: 'Not before startsOn.' })
  endsOn: string;

  @Field(() => Int, { description: 'Families in work at once (at least 1).' })
  @Min(1)
  @Max(100000)
  capacity: number;
}

@InputType()
export class UpdateProviderContractInput {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDate, { nullable: true, description: 'Not before the contract starts.' })
  @IsOptional()
  endsOn?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(100000)
  capacity?: number | null;
}

@InputType({ description: 'A new data sharing agreement; the newest in force applies to the provider’s staff.' })
export class SetDataSharingAgreementInput {
  @Field(() => ID)
  @IsId()
  providerId: string;

  @Field()
  @HasText(2, 200)
  reference: string;

  @Field(() => LocalDate)
  startsOn: string;

  @Field(() => LocalDate, { nullable: true })
  @IsOptional()
  endsOn?: string | null;

  @Field(() => [String], { description: 'Type.field entries from the shareable vocabulary.' })
  @ArrayMaxSize(1000)
  @ArrayUnique()
  visibleFields: string[];

  @Field(() => [String], { description: 'Mutation names the provider may submit.' })
  @ArrayMaxSize(100)
  @ArrayUnique()
  submissions: string[];
}

@InputType()
export class CreateProviderAccountInput {
  @Field(() => ID)
  @IsId()
  providerId: string;

  @Field()
  @IsEmail()
  @MaxLength(320)
  email: string;

  @Field()
  @HasText(2, 200)
  displayName: string;

  @Field(() => ProviderRole)
  role: ProviderRole;

  @Field({ defaultValue: false, description: "An account for the provider's own case system, not a person." })
  system: boolean;
}
