import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const devUserSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => (await import('./DevUserSignInPage')).DevUserSignInPage,
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [devUserSignInPage],
});
