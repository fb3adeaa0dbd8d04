import { SignInPage as CoreSignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/core-plugin-api';
import { DevUserSignInPage } from './DevUserSignInPage';
import { oidcAuthApiRef } from './oidcAuthApi';

/** The sign-in provider production offers: the organisation's OIDC identity provider. */
export const OIDC_PROVIDER = {
  id: 'oidc-auth-provider',
  title: 'Single sign-on',
  message: "Sign in with your organisation's account (OIDC)",
  apiRef: oidcAuthApiRef,
};

/**
 * The demo user picker when `auth.environment` is exactly `development` (app-config.yaml), the OIDC
 * sign-in otherwise (app-config.production.yaml sets `production`). A missing value is not
 * development: the picker is never the fallback.
 */
export function SignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  if (config.getOptionalString('auth.environment') === 'development') {
    return <DevUserSignInPage {...props} />;
  }
  return (
    <CoreSignInPage
      {...props}
      title="Sign in to Inference-in-a-Box"
      provider={OIDC_PROVIDER}
    />
  );
}
