export { ConditionsTable } from './ConditionsTable';
export type { Condition } from './ConditionsTable';
