export { DriftedStatus } from './DriftedStatus';
