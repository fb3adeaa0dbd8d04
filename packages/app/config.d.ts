export interface Config {
  auth?: {
    providers?: {
      /** Development-only sign-in as a demo user (see packages/backend/src/auth/devUsersProvider.ts). */
      devUsers?: {
        /**
         * Catalog user names (namespace default) that may be chosen on the sign-in page.
         * @visibility frontend
         */
        users?: string[];
      };
    };
  };
}
