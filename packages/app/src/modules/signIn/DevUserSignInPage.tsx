import { useState } from 'react';
import {
  Content,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

const STORAGE_KEY = 'inference-portal.dev-user';
const QUERY_PARAM = 'as';

/**
 * Which demo user to sign in as: `?as=<user>` in the URL wins (and is remembered), `?as=` alone
 * forgets the choice, otherwise the last choice made on this browser.
 */
export function chooseInitialUser(
  search: string,
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  users: string[],
): string | undefined {
  const requested = new URLSearchParams(search).get(QUERY_PARAM);
  if (requested !== null) {
    if (users.includes(requested)) {
      storage.setItem(STORAGE_KEY, requested);
      return requested;
    }
    storage.removeItem(STORAGE_KEY);
    return undefined;
  }
  const remembered = storage.getItem(STORAGE_KEY);
  return remembered && users.includes(remembered) ? remembered : undefined;
}

/**
 * Development sign-in: pick one of the demo users from `auth.providers.devUsers.users`, then sign in
 * through the backend's `devUsers` provider, which resolves that user in the catalog (so tenant
 * membership is the catalog's). Production uses a real identity provider instead.
 */
export function DevUserSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const users =
    config.getOptionalStringArray('auth.providers.devUsers.users') ?? [];
  const [user, setUser] = useState(() =>
    chooseInitialUser(window.location.search, window.localStorage, users),
  );

  if (user) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="devUsers"
        headers={{ 'x-dev-user': user }}
      />
    );
  }

  return (
    <Page themeId="home">
      <Content>
        <Grid container justifyContent="center">
          <Grid item xs={12} md={6}>
            <InfoCard title="Sign in to Inference-in-a-Box (development)">
              <Typography paragraph>
                Choose a demo user. Tenant members act on their tenant's models;
                the platform admin acts on all of them. Switch later with{' '}
                <code>?as=&lt;user&gt;</code> in the address bar.
              </Typography>
              <Grid container spacing={1}>
                {users.map(name => (
                  <Grid item key={name}>
                    <Button
                      variant="outlined"
                      color="primary"
                      onClick={() => {
                        window.localStorage.setItem(STORAGE_KEY, name);
                        setUser(name);
                      }}
                    >
                      {name}
                    </Button>
                  </Grid>
                ))}
              </Grid>
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
