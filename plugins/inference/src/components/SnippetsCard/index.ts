export { SnippetsCard } from './SnippetsCard';
export { buildSnippets } from './buildSnippets';
