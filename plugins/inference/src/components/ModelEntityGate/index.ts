export { ModelEntityGate } from './ModelEntityGate';
