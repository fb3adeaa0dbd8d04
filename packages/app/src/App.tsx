import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';
import { homeModule } from './modules/home';

/** The app's own features; everything else is discovered (`app.packages: all`). */
export const appFeatures = [catalogPlugin, navModule, signInModule, homeModule];

export default createApp({ features: appFeatures });
