/** The child protection module's public surface. */
export { ChildProtectionService } from './child-protection.service';
export { ChildProtectionError } from './child-protection.errors';
export { ChildProtectionConferenceType, Section47Type, StrategyDiscussionType } from './child-protection.types';
