export { SearchableTable } from './SearchableTable';
