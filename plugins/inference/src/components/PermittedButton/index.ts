export { PermittedButton } from './PermittedButton';
