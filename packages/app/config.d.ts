export interface Config {
  auth?: {
    /**
     * `development` shows the demo user picker; anything else (production sets `production`), or
     * no value, shows the OIDC sign-in. Declared frontend-visible by the auth backend too.
     * @visibility frontend
     */
    environment?: string;
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
