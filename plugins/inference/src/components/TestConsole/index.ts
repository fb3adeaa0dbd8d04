export { TestConsoleContent } from './TestConsoleContent';
