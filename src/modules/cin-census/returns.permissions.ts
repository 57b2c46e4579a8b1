import { can } from '../../shared/authz/rules';

/** Child.returnIssues: anyone who may read the child's record (the Child type has already scoped and audited the view). */
export const returnIssuesRules = {
  Child: { returnIssues: can('child:read') },
};
